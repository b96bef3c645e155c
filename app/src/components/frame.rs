use crate::pages::security::ResendLink;
use crate::rpc::account::LogOut;
use leadsy::users::User;
use leptos::prelude::*;

/// The page frame: brand, and for a signed-in user the product's pages, their
/// account and a log-out button; on a phone these fold into a menu (a plain
/// `<details>`, so it opens before any code has loaded).
#[component]
pub fn Frame(
    #[prop(optional)] user: Option<User>,
    /// The board spreads across the whole window.
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let width = if wide { "max-w-none" } else { "max-w-5xl" };
    view! {
        <div class="min-h-screen bg-slate-50 text-slate-900">
            <header class="border-b border-slate-200 bg-white">
                <div class=format!("mx-auto flex {width} items-center justify-between gap-3 px-4 py-3")>
                    <a href="/" class="flex items-center gap-2 text-lg font-semibold text-indigo-800">
                        <span class="inline-flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 text-white" aria-hidden="true">"L"</span>
                        "Leadsy"
                    </a>
                    <nav class="hidden items-center gap-4 text-sm md:flex" aria-label="Main">
                        <Links user=user.clone() item="text-slate-700 hover:text-slate-900" wide=true/>
                    </nav>
                    <details class="relative md:hidden" data-testid="menu">
                        <summary class="flex cursor-pointer list-none items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 [&::-webkit-details-marker]:hidden">
                            <span aria-hidden="true">"☰"</span>"Menu"
                        </summary>
                        <nav class="absolute right-0 z-30 mt-2 flex w-64 flex-col gap-1 rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-lg" aria-label="Main">
                            <Links user=user.clone() item="rounded px-3 py-2 text-slate-800 hover:bg-slate-100" wide=false/>
                        </nav>
                    </details>
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
            <main class=format!("mx-auto {width} px-4 py-6 sm:py-8")>{children()}</main>
        </div>
    }
}

/// The frame's links, drawn once for the wide bar and once for the phone's menu.
#[component]
fn Links(user: Option<User>, item: &'static str, wide: bool) -> AnyView {
    let log_out = ServerAction::<LogOut>::new();
    view! {
        {user.as_ref().is_some_and(|u| u.onboarding_completed).then(|| view! {
            <a href="/board" class=item>"Board"</a>
            <a href="/appointments" class=item>"Appointments"</a>
            <a href="/settings" class=item>"Settings"</a>
        })}
        <a href="/api-docs" class=item>"API"</a>
        {user.map(|u| view! {
            <a href="/account" class=format!("flex items-center gap-2 {item}") data-testid=wide.then_some("current-user") title="Your account">
                <Avatar url=u.avatar_url.clone() name=u.full_name() size="h-7 w-7"/>
                <span class="truncate">{u.display_name()}</span>
            </a>
            <ActionForm action=log_out>
                <button type="submit" class="w-full rounded-md border border-slate-300 px-3 py-1 text-left text-slate-800 hover:bg-slate-100 md:w-auto">
                    "Log out"
                </button>
            </ActionForm>
        })}
    }
    .into_any()
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
        <section class="mx-auto w-full max-w-lg rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
            <h1 class="text-2xl font-semibold text-slate-900">{title}</h1>
            {subtitle.map(|s| view! { <p class="mt-1 text-sm text-slate-600">{s}</p> })}
            <div class="mt-6">{children()}</div>
        </section>
    }
}
