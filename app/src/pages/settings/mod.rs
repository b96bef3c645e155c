//! Company settings: one page per section beside a menu of them. Every member can
//! read them; admins change the company, team and plan, managers the sales process.

mod campaigns;
mod company;
mod cycles;
pub mod invitations;
mod plan;
mod questions;
mod sources;
mod team;
mod territories;

pub use campaigns::CampaignsSettings;
pub use company::CompanySettings;
pub use cycles::CyclesSettings;
pub use invitations::InvitationsSettings;
pub use plan::PlanSettings;
pub use questions::QuestionsSettings;
pub use sources::SourcesSettings;
pub use team::TeamSettings;
pub use territories::TerritoriesSettings;

use super::board::member_page;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;

const SECTIONS: [(&str, &str); 9] = [
    ("company", "Company"),
    ("team", "Team"),
    ("invitations", "Invitations"),
    ("sources", "Sources"),
    ("territories", "Territories"),
    ("questions", "Questions"),
    ("campaigns", "Campaigns"),
    ("cycles", "Cycles"),
    ("plan", "Plan"),
];

/// `/settings`: the first section.
#[component]
pub fn SettingsIndex() -> impl IntoView {
    view! { <Redirect path="/settings/company"/> }
}

/// A settings section for a member: the menu, and `body` for their company.
fn settings_page(
    section: &'static str,
    body: impl Fn(i64) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    member_page(false, move |company_id| {
        view! {
            <div class="grid gap-8 md:grid-cols-[12rem_1fr]">
                <Menu current=section/>
                <div class="min-w-0 space-y-6">{body(company_id)}</div>
            </div>
        }
        .into_any()
    })
}

#[component]
fn Menu(current: &'static str) -> impl IntoView {
    view! {
        <nav aria-label="Settings" class="space-y-1">
            <h1 class="mb-3 text-lg font-semibold">"Settings"</h1>
            {SECTIONS.iter().map(|(key, label)| {
                let here = *key == current;
                let class = if here {
                    "block rounded-md bg-indigo-50 px-3 py-2 text-sm font-medium text-indigo-700"
                } else {
                    "block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
                };
                view! { <a href=format!("/settings/{key}") class=class aria-current=here.then_some("page")>{*label}</a> }
            }).collect_view()}
        </nav>
    }
}

/// A titled card of one settings section.
#[component]
pub fn Panel(
    title: &'static str,
    #[prop(optional)] note: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{title}</h2>
            {note.map(|n| view! { <p class="mt-1 text-sm text-slate-600">{n}</p> })}
            <div class="mt-4 space-y-4">{children()}</div>
        </section>
    }
}

/// Why a reader sees no form: their access does not allow changes here.
pub fn read_only(who: &'static str) -> impl IntoView {
    view! {
        <p class="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600" data-testid="read-only">
            {format!("Only {who} can change this.")}
        </p>
    }
}

/// A failed load, in place of the section.
pub fn load_failed(e: AppError) -> AnyView {
    view! { <p class="rounded-md bg-red-50 p-4 text-red-700" role="alert">{e.to_string()}</p> }
        .into_any()
}

/// The input look shared by the settings forms.
pub const INPUT: &str =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";
/// A primary button.
pub const BUTTON: &str =
    "rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60";
/// A quiet, destructive button.
pub const DANGER: &str = "text-sm text-red-700 hover:underline";
