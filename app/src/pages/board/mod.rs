//! The lead board: a column per stage with its count and value, a chart of the
//! same, filters in the address (so a filtered board can be shared or reloaded),
//! and the unassigned and duplicates views.

mod card;
mod chart;
mod columns;
mod lists;

use crate::components::frame::Frame;
use crate::components::guard::{Guard, Need};
use crate::rpc::board::{board, catalog, Choices};
use leadsy::leads::LeadFilter;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A page of the product for a member: their frame and their company's id.
pub fn member_page(
    wide: bool,
    body: impl Fn(i64) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Guard need=Need::Member view=move |p| {
            let p = p.expect("a member");
            let content = match &p.company {
                Some(c) => body(c.id),
                None => view! { <p class="text-slate-600">"You are not part of a company yet."</p> }.into_any(),
            };
            view! { <Frame user=p.user.clone() wide=wide>{content}</Frame> }.into_any()
        }/>
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    member_page(true, |company_id| {
        view! { <Workspace company_id/> }.into_any()
    })
}

/// The filters as the address holds them.
fn filter_from_query() -> Memo<LeadFilter> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let id = |k: &str| q.get(k).and_then(|v| v.parse().ok());
        LeadFilter {
            q: q.get("q").filter(|s| !s.trim().is_empty()),
            source_id: id("source"),
            campaign_id: id("campaign"),
            cycle_id: id("cycle"),
            assigned_user_access_id: id("assignee"),
            stage_id: None,
        }
    })
}

#[component]
fn Workspace(company_id: i64) -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| query.read().get("view").unwrap_or_default());
    let filter = filter_from_query();
    let catalog = Resource::new(move || company_id, catalog);
    // Each view loads beside the filters, not inside them, so that both hydrate
    // from what the server sent.
    let content = match tab.get_untracked().as_str() {
        "unassigned" => view! { <lists::Unassigned company_id filter/> }.into_any(),
        "duplicates" => view! { <lists::Duplicates company_id/> }.into_any(),
        _ => view! { <BoardView company_id filter/> }.into_any(),
    };
    view! {
        <div class="space-y-4">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h1 class="text-2xl font-semibold">"Leads"</h1>
                <div class="flex gap-2">
                    <a href="/imports" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50" data-testid="import-leads">
                        "Import"
                    </a>
                    <a href="/leads/new" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700" data-testid="new-lead">
                        "New lead"
                    </a>
                </div>
            </div>
            <Tabs tab/>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Err(e) => view! { <p class="text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(_) if tab.get_untracked() == "duplicates" => ().into_any(),
                        Ok(cat) => view! { <Filters catalog=cat filter tab/> }.into_any(),
                    }
                })}
            </Suspense>
            {content}
        </div>
    }
}

#[component]
fn Tabs(tab: Memo<String>) -> impl IntoView {
    let item = move |key: &'static str, label: &'static str| {
        let href = if key.is_empty() {
            "/board".to_string()
        } else {
            format!("/board?view={key}")
        };
        let class = move || {
            if tab.get() == key {
                "border-b-2 border-indigo-600 px-1 pb-2 font-medium text-indigo-700"
            } else {
                "border-b-2 border-transparent px-1 pb-2 text-slate-600 hover:text-slate-900"
            }
        };
        // A full load: the view is chosen when the page renders.
        view! { <a href=href rel="external" class=class aria-current=move || (tab.get() == key).then_some("page")>{label}</a> }
    };
    view! {
        <nav class="flex gap-6 border-b border-slate-200 text-sm" aria-label="Views">
            {item("", "Board")}
            {item("unassigned", "Unassigned")}
            {item("duplicates", "Duplicates")}
        </nav>
    }
}

/// A GET form: the filters land in the address, so a filtered board can be
/// reloaded, bookmarked and shared.
#[component]
fn Filters(catalog: Choices, filter: Memo<LeadFilter>, tab: Memo<String>) -> impl IntoView {
    let f = filter.get_untracked();
    let select = |name: &'static str,
                  label: &'static str,
                  chosen: Option<i64>,
                  options: Vec<(i64, String)>| {
        view! {
            <label class="flex flex-col text-xs font-medium text-slate-600">
                {label}
                <select name=name class="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900">
                    <option value="">"All"</option>
                    {options.into_iter().map(|(id, text)| view! {
                        <option value=id.to_string() selected=chosen == Some(id)>{text}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let members = catalog
        .members
        .iter()
        .map(|m| (m.user_access_id, m.user.display_name()))
        .collect();
    let sources = catalog
        .sources
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let campaigns = catalog
        .campaigns
        .iter()
        .map(|c| (c.id, c.name.clone()))
        .collect();
    let cycles = catalog
        .cycles
        .iter()
        .map(|c| (c.id, c.name.clone()))
        .collect();
    view! {
        <form method="get" action="/board" class="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm" data-testid="filters">
            <input type="hidden" name="view" value=move || tab.get()/>
            <label class="flex min-w-48 flex-1 flex-col text-xs font-medium text-slate-600">
                "Search"
                <input type="search" name="q" value=f.q.clone().unwrap_or_default() placeholder="Name, company, email or phone"
                    class="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900"/>
            </label>
            {select("assignee", "Assignee", f.assigned_user_access_id, members)}
            {select("source", "Source", f.source_id, sources)}
            {select("campaign", "Campaign", f.campaign_id, campaigns)}
            {select("cycle", "Cycle", f.cycle_id, cycles)}
            <button type="submit" class="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900">"Filter"</button>
            <a href="/board" rel="external" class="px-1 py-1.5 text-sm text-slate-600 hover:underline">"Clear"</a>
        </form>
    }
}

#[component]
fn BoardView(company_id: i64, filter: Memo<LeadFilter>) -> impl IntoView {
    let data = Resource::new(move || filter.get(), move |f| board(company_id, f));
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="text-red-700" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(b) => view! { <columns::Columns company_id filter=filter.get_untracked() board=b/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
