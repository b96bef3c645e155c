//! Sign-up, login, and the password reset pair.

use crate::components::form::{Field, FormError, Submit};
use crate::components::frame::{Card, Frame};
use crate::components::guard::{Guard, Need};
use crate::components::zone::BrowserZone;
use crate::rpc::account::{LogIn, RequestPasswordReset, ResetPassword, SignUp};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignUpPage() -> impl IntoView {
    view! { <Guard need=Need::Visitor view=|_| view! { <SignUpForm/> }.into_any()/> }
}

#[component]
fn SignUpForm() -> impl IntoView {
    let act = ServerAction::<SignUp>::new();
    let outcome = act.value().into();
    view! {
        <Frame>
            <Card title="Create your Leadsy account".into() subtitle="Free to start. No card needed.">
                <FormError outcome fields=&["email", "password", "first_name", "last_name"]/>
                <ActionForm action=act attr:class="space-y-4">
                    <div class="grid grid-cols-2 gap-4">
                        <Field label="First name" name="first_name" autocomplete="given-name" outcome/>
                        <Field label="Last name" name="last_name" autocomplete="family-name" outcome/>
                    </div>
                    <Field label="Work email" name="email" kind="email" autocomplete="email" required=true outcome/>
                    <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true outcome/>
                    <p class="text-xs text-slate-600">"At least 8 characters."</p>
                    <BrowserZone/>
                    <Submit label="Sign up"/>
                </ActionForm>
                <p class="mt-6 text-center text-sm text-slate-600">
                    "Already have an account? " <a class="font-medium text-indigo-800 underline" href="/login">"Log in"</a>
                </p>
            </Card>
        </Frame>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <Guard need=Need::Visitor view=|_| view! { <LoginForm/> }.into_any()/> }
}

/// A path of this site, safe to send the browser to after logging in (not
/// `//elsewhere`, not a URL).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\')
}

/// `/login?next=…` for a page that needs the visitor signed in first.
pub fn login_then(path: &str) -> String {
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("/login?next={encoded}")
}

#[component]
fn LoginForm() -> impl IntoView {
    let act = ServerAction::<LogIn>::new();
    let outcome = act.value().into();
    let query = use_query_map();
    let next = move || query.read().get("next").filter(|n| is_local_path(n));
    view! {
        <Frame>
            <Card title="Log in to Leadsy".into()>
                <FormError outcome fields=&["email", "password"]/>
                <ActionForm action=act attr:class="space-y-4">
                    {move || next().map(|n| view! { <input type="hidden" name="next" value=n/> })}
                    <Field label="Email" name="email" kind="email" autocomplete="email" required=true outcome/>
                    <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true outcome/>
                    <Submit label="Log in"/>
                </ActionForm>
                <div class="mt-6 flex justify-between text-sm">
                    <a class="text-indigo-800 underline" href="/password/forgot">"Forgot your password?"</a>
                    <a class="text-indigo-800 underline" href="/signup">"Create an account"</a>
                </div>
            </Card>
        </Frame>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let act = ServerAction::<RequestPasswordReset>::new();
    let outcome = act.value().into();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <Frame>
            <Card title="Reset your password".into() subtitle="We will mail you a link to set a new one.">
                <Show when=sent>
                    <div class="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">
                        "If an account exists for that email, a reset link is on its way. It works once, for an hour."
                    </div>
                </Show>
                <FormError outcome fields=&["email"]/>
                <ActionForm action=act attr:class="space-y-4">
                    <Field label="Email" name="email" kind="email" autocomplete="email" required=true outcome/>
                    <Submit label="Send the link"/>
                </ActionForm>
                <p class="mt-6 text-center text-sm"><a class="text-indigo-800 underline" href="/login">"Back to log in"</a></p>
            </Card>
        </Frame>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let act = ServerAction::<ResetPassword>::new();
    let outcome = act.value().into();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Frame>
            <Card title="Choose a new password".into()>
                <FormError outcome fields=&["password"]/>
                <ActionForm action=act attr:class="space-y-4">
                    <input type="hidden" name="token" value=token/>
                    <Field label="New password" name="password" kind="password" autocomplete="new-password" required=true outcome/>
                    <Submit label="Set password"/>
                </ActionForm>
            </Card>
        </Frame>
    }
}
