//! Company settings: one page per section beside a menu of them. Every member can
//! read them; admins change the company, team and plan, managers the sales process.

mod audit;
mod campaigns;
mod company;
mod cycles;
pub mod invitations;
mod plan;
mod questions;
mod sources;
mod team;
mod territories;
mod webhooks;

pub use audit::AuditSettings;
pub use campaigns::CampaignsSettings;
pub use company::CompanySettings;
pub use cycles::CyclesSettings;
pub use invitations::InvitationsSettings;
pub use plan::PlanSettings;
pub use questions::QuestionsSettings;
pub use sources::SourcesSettings;
pub use team::TeamSettings;
pub use territories::TerritoriesSettings;
pub use webhooks::{WebhookLogSettings, WebhooksSettings};

use super::board::member_page;
use leptos::prelude::*;
use leptos_router::components::Redirect;

pub use crate::components::panel::{load_failed, Confirm, Panel, BUTTON, DANGER, INPUT};

const SECTIONS: [(&str, &str); 11] = [
    ("company", "Company"),
    ("team", "Team"),
    ("invitations", "Invitations"),
    ("sources", "Sources"),
    ("territories", "Territories"),
    ("questions", "Questions"),
    ("campaigns", "Campaigns"),
    ("cycles", "Cycles"),
    ("plan", "Plan"),
    ("webhooks", "Webhooks"),
    ("audit", "Audit log"),
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
        <nav aria-label="Settings" class="min-w-0">
            <h1 class="mb-3 text-lg font-semibold">"Settings"</h1>
            // A phone gets the sections as rows of links, all in sight; a wider screen, a column.
            <div class="flex flex-wrap gap-1 md:block md:space-y-1">
            {SECTIONS.iter().map(|(key, label)| {
                let here = *key == current;
                let class = if here {
                    "block shrink-0 whitespace-nowrap rounded-md bg-indigo-50 px-3 py-2 text-sm font-medium text-indigo-800"
                } else {
                    "block shrink-0 whitespace-nowrap rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
                };
                view! { <a href=format!("/settings/{key}") class=class aria-current=here.then_some("page")>{*label}</a> }
            }).collect_view()}
            </div>
        </nav>
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

/// Newer and older pages of a newest-first list; `at` is the address of page `n`.
#[component]
pub fn Pager(meta: leadsy::paging::Meta, at: impl Fn(i64) -> String) -> impl IntoView {
    let last = (meta.total + meta.per_page - 1) / meta.per_page.max(1);
    let current = meta.page;
    let (newer, older) = (
        (current > 1).then(|| at(current - 1)),
        (current < last).then(|| at(current + 1)),
    );
    (last > 1).then(|| view! {
        <nav class="flex items-center justify-between text-sm" aria-label="Pages">
            {newer.map(|href| view! { <a href=href class="text-indigo-800 underline">"Newer"</a> })}
            <span class="text-slate-700">{format!("Page {current} of {last}")}</span>
            {older.map(|href| view! { <a href=href class="text-indigo-800 underline">"Older"</a> })}
        </nav>
    })
}

/// A section only admins see (its data is everyone's changes or where they go);
/// anyone else reads `refusal` under `title`.
#[component]
pub fn AdminsOnly(
    company_id: i64,
    title: &'static str,
    refusal: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let me = Resource::new(move || company_id, crate::rpc::company::my_standing);
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Err(e) => load_failed(e),
                    Ok(me) if !me.is_admin() => view! {
                        <Panel title=title>
                            <p class="text-sm text-slate-700" data-testid="read-only">{refusal}</p>
                        </Panel>
                    }.into_any(),
                    Ok(_) => children.with_value(|c| c()).into_any(),
                }
            })}
        </Suspense>
    }
}
