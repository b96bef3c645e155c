use crate::pages::security::ResendLink;
use crate::rpc::account::LogOut;
use leadsy::users::User;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page frame: brand, and for a signed-in user their name and a log-out button.
#[component]
pub fn Frame(
    #[prop(optional)] user: Option<User>,
    /// The board spreads across the whole window.
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let width = if wide { "max-w-none" } else { "max-w-5xl" };
    let log_out = ServerAction::<LogOut>::new();
    view! {
        <div class="min-h-screen bg-slate-50 text-slate-900">
            <header class="border-b border-slate-200 bg-white">
                <div class=format!("mx-auto flex {width} items-center justify-between px-4 py-3")>
                    <A href="/" attr:class="flex items-center gap-2 text-lg font-semibold text-indigo-700">
                        <span class="inline-flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 text-white">"L"</span>
                        "Leadsy"
                    </A>
                    <nav class="flex items-center gap-4 text-sm">
                        {user.as_ref().is_some_and(|u| u.onboarding_completed).then(|| view! {
                            <a href="/board" class="text-slate-600 hover:text-slate-900">"Board"</a>
                            <a href="/appointments" class="text-slate-600 hover:text-slate-900">"Appointments"</a>
                            <a href="/settings" class="text-slate-600 hover:text-slate-900">"Settings"</a>
                        })}
                        <a href="/api-docs" class="text-slate-600 hover:text-slate-900">"API"</a>
                        {user.clone().map(|u| view! {
                            <a href="/account" class="flex items-center gap-2 text-slate-700 hover:text-slate-900" data-testid="current-user" title="Your account">
                                <Avatar url=u.avatar_url.clone() name=u.full_name() size="h-7 w-7"/>
                                {u.display_name()}
                            </a>
                            <ActionForm action=log_out>
                                <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-slate-700 hover:bg-slate-100">
                                    "Log out"
                                </button>
                            </ActionForm>
                        })}
                    </nav>
                </div>
            </header>
            {user.filter(|u| !u.email_verified).map(|u| view! {
                <div class="border-b border-amber-200 bg-amber-50" data-testid="verify-banner">
                    <div class=format!("mx-auto {width} px-4 py-2 text-sm text-amber-900")>
                        <span>
                            "Check your inbox: open the link we sent to "<strong class="break-all">{u.email}</strong>
                            " to confirm it is yours. Until then, invitations to join a team cannot be accepted. "
                        </span>
                        <ResendLink/>
                    </div>
                </div>
            })}
            <main class=format!("mx-auto {width} px-4 py-8")>{children()}</main>
        </div>
    }
}

/// A round picture, or the initials when there is none.
#[component]
pub fn Avatar(
    url: Option<String>,
    name: String,
    #[prop(default = "h-10 w-10")] size: &'static str,
) -> impl IntoView {
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase();
    match url {
        Some(url) => view! { <img src=url alt=name class=format!("{size} shrink-0 rounded-full object-cover")/> }.into_any(),
        None => view! {
            <span class=format!("{size} inline-flex shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700")>
                {if initials.is_empty() { "?".to_string() } else { initials }}
            </span>
        }
        .into_any(),
    }
}

/// A centred card for the sign-in pages and the wizard.
#[component]
pub fn Card(
    title: String,
    #[prop(optional, into)] subtitle: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="mx-auto w-full max-w-lg rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-semibold text-slate-900">{title}</h1>
            {subtitle.map(|s| view! { <p class="mt-1 text-sm text-slate-600">{s}</p> })}
            <div class="mt-6">{children()}</div>
        </section>
    }
}
