//! The account's keys: the mailed link that verifies an address (`/verify-email`),
//! and `/account`, where one changes email (with the current password) and password.

use crate::components::form::{error_of, Field, FormError, Submit};
use crate::components::frame::{Card, Frame};
use crate::components::guard::{Guard, Need};
use crate::pages::account::login_then;
use crate::rpc::account::{
    time_zones, whoami, ChangeEmail, ChangePassword, ChangeTimeZone, ResendVerification,
    VerifyEmail,
};
use leadsy::users::User;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the mailed link lands. Confirming takes a click, so a mail scanner that
/// opens links does not spend the token for nothing, and it is done signed in as
/// the account the link was sent for: the owner of a mailbox who gets a link for
/// an account someone else opened with their address cannot verify it by mistake.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let act = ServerAction::<VerifyEmail>::new();
    let outcome = act.value().into();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let verified = move || query.read().get("verified").is_some();
    let me = Resource::new(|| (), |_| whoami());
    let confirm = move || {
        Suspend::new(async move {
            let signed_in = matches!(me.await, Ok(Some(_)));
            if !signed_in {
                let login = login_then(&format!("/verify-email?token={}", token()));
                return view! {
                    <Card title="Confirm your email address".into() subtitle="Log in first, with the account you signed up with.">
                        <p class="mb-4 text-sm text-slate-700">
                            "If you did not sign up for Leadsy with this address, ignore the mail: nothing happens."
                        </p>
                        <a href=login class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">"Log in to confirm"</a>
                    </Card>
                }
                .into_any();
            }
            view! {
                <Card title="Confirm your email address".into() subtitle="One click, and teams that invite this address can add you.">
                    <FormError outcome fields=&["token"]/>
                    <ActionForm action=act attr:class="space-y-4">
                        <input type="hidden" name="token" value=token/>
                        <Submit label="Confirm my email"/>
                    </ActionForm>
                </Card>
            }
            .into_any()
        })
    };
    view! {
        <Frame>
            <Show
                when=verified
                fallback=move || view! { <Suspense fallback=|| ()>{confirm}</Suspense> }
            >
                <Card title="Email address confirmed".into()>
                    <p class="mb-4 text-emerald-700" role="status" data-testid="email-verified">
                        "Thank you: your email address is verified."
                    </p>
                    <a href="/" class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">"Continue to Leadsy"</a>
                </Card>
            </Show>
        </Frame>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Guard need=Need::SignedIn view=|p| {
            let user = p.expect("signed in").user;
            view! { <Frame user=user.clone()><AccountForms user/></Frame> }.into_any()
        }/>
    }
}

#[component]
fn AccountForms(user: User) -> impl IntoView {
    let zone = user.time_zone.as_str().to_string();
    let query = use_query_map();
    let done = move |key: &'static str| query.read().get(key).is_some();
    let email = ServerAction::<ChangeEmail>::new();
    let email_outcome = email.value().into();
    let password = ServerAction::<ChangePassword>::new();
    let password_outcome = password.value().into();
    let email_changed = move || done("email") || matches!(email.value().get(), Some(Ok(())));
    let password_changed =
        move || done("password") || matches!(password.value().get(), Some(Ok(())));
    view! {
        <div class="space-y-6">
            <Card title="Email address".into() subtitle=format!("Now: {}", user.email)>
                <VerificationState user=user.clone()/>
                <Show when=email_changed>
                    <p class="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">
                        "Email changed. Open the link we mailed to the new address to verify it; the old one was told."
                    </p>
                </Show>
                <FormError outcome=email_outcome fields=&["email", "current_password"]/>
                <ActionForm action=email attr:class="space-y-4">
                    <Field label="New email" name="email" kind="email" autocomplete="email" required=true outcome=email_outcome/>
                    <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" required=true outcome=email_outcome/>
                    <Submit label="Change email"/>
                </ActionForm>
            </Card>
            <TimeZoneCard current=zone/>
            <Card title="Password".into() subtitle="Changing it signs you out everywhere else.">
                <Show when=password_changed>
                    <p class="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status" data-testid="password-changed">
                        "Password changed. Every other session and API token has been signed out."
                    </p>
                </Show>
                <FormError outcome=password_outcome fields=&["current_password", "password"]/>
                <ActionForm action=password attr:class="space-y-4">
                    <Field label="Current password" name="current_password" id="password-current" kind="password" autocomplete="current-password" required=true outcome=password_outcome/>
                    <Field label="New password" name="password" kind="password" autocomplete="new-password" required=true outcome=password_outcome/>
                    <p class="text-xs text-slate-600">"At least 8 characters."</p>
                    <Submit label="Change password"/>
                </ActionForm>
            </Card>
        </div>
    }
}

/// The zone the pages show times in and read typed times in.
#[component]
fn TimeZoneCard(current: String) -> impl IntoView {
    let act = ServerAction::<ChangeTimeZone>::new();
    let outcome = act.value().into();
    let saved = use_query_map().read_untracked().get("zone").is_some();
    let zones = Resource::new(|| (), |_| time_zones());
    view! {
        <Card title="Time zone".into() subtitle="Times on every page are shown on this clock, and the times you type are read on it.">
            {saved.then(|| view! {
                <p class="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" role="status">"Time zone saved."</p>
            })}
            <FormError outcome fields=&["time_zone"]/>
            <ActionForm action=act attr:class="flex flex-wrap items-end gap-3">
                <label class="block min-w-0 flex-1" for="time-zone">
                    <span class="text-sm font-medium text-slate-800">"Time zone"</span>
                    <Suspense fallback=|| ()>
                        {
                            let current = current.clone();
                            move || {
                                let current = current.clone();
                                Suspend::new(async move {
                                    let zones = zones.await.unwrap_or_default();
                                    view! {
                                        <select id="time-zone" name="time_zone" data-testid="time-zone" class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900">
                                            {zones.into_iter().map(|z| view! { <option value=z.clone() selected=z == current>{z.clone()}</option> }).collect_view()}
                                        </select>
                                    }
                                })
                            }
                        }
                    </Suspense>
                    {move || error_of(outcome)().and_then(|e| e.field("time_zone")).map(|m| view! { <span class="mt-1 block text-sm text-red-700" role="alert">"Time zone "{m}</span> })}
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">"Save time zone"</button>
            </ActionForm>
        </Card>
    }
}

/// Verified, or a way to get the link again.
#[component]
fn VerificationState(user: User) -> impl IntoView {
    if user.email_verified {
        return view! {
            <p class="mb-4 text-sm text-emerald-700" data-testid="verification-state">"Verified."</p>
        }
        .into_any();
    }
    view! {
        <div class="mb-4 text-sm text-amber-800" data-testid="verification-state">
            <span>"Not verified yet. "</span>
            <ResendLink/>
        </div>
    }
    .into_any()
}

/// "Send the link again", as a small form that works before the WASM has loaded.
#[component]
pub fn ResendLink() -> impl IntoView {
    let act = ServerAction::<ResendVerification>::new();
    let query = use_query_map();
    let sent =
        move || query.read().get("sent").is_some() || matches!(act.value().get(), Some(Ok(())));
    let failed = move || {
        act.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <ActionForm action=act attr:class="inline">
            <Show
                when=sent
                fallback=|| view! {
                    <button type="submit" class="font-medium text-indigo-700 underline hover:text-indigo-900">"Send the link again"</button>
                }
            >
                <span role="status">"A new link is on its way."</span>
            </Show>
        </ActionForm>
        {move || failed().map(|m| view! { <span class="ml-2 text-red-700" role="alert">{m}</span> })}
    }
}
