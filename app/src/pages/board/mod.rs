//! The lead board: a column per stage with its count and value, a chart of the
//! same, filters in the address (so a filtered board can be shared or reloaded),
//! and the unassigned and duplicates views.

mod card;
mod chart;
mod columns;
mod lists;
mod search;
mod select;
mod views;

use crate::components::frame::Frame;
use crate::components::guard::{Guard, Need};
use crate::components::panel::load_failed;
use crate::rpc::board::{board, catalog, filter_query, Choices, API_NAMES};
use crate::rpc::bulk::ExportLeads;
use leadsy::leads::{LeadFilter, EXPORT_STREAM_MAX};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
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
            // Only the list view filters by stage: the board has a column per stage.
            stage_id: id("stage"),
        }
    })
}

#[component]
fn Workspace(company_id: i64) -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| query.read().get("view").unwrap_or_default());
    let filter = filter_from_query();
    let catalog = Resource::new(move || company_id, catalog);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Err(e) => load_failed(e),
                    Ok(cat) => {
                        let manages = cat.manages;
                        // A sales rep sees only their own leads: no one else's are unassigned to them.
                        let view_key = match tab.get_untracked().as_str() {
                            "unassigned" if manages => "unassigned",
                            "duplicates" => "duplicates",
                            "list" => "list",
                            _ => "",
                        };
                        let content = match view_key {
                            "list" => view! { <select::LeadList company_id filter catalog=cat.clone()/> }.into_any(),
                            "unassigned" => view! { <lists::Unassigned company_id filter catalog=cat.clone()/> }.into_any(),
                            "duplicates" => view! { <lists::Duplicates company_id catalog=cat.clone()/> }.into_any(),
                            _ => view! { <BoardView company_id filter manages/> }.into_any(),
                        };
                        view! {
                            <div class="space-y-3">
                                <div class="flex flex-wrap items-center justify-between gap-3">
                                    <h1 class="text-2xl font-semibold">{if manages { "Leads" } else { "My leads" }}</h1>
                                    <div class="flex gap-2">
                                        {manages.then(|| view! {
                                            <a href="/imports" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50" data-testid="import-leads">"Import"</a>
                                        })}
                                        <Export company_id filter=filter.get_untracked()/>
                                        <a href="/leads/new" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700" data-testid="new-lead">"New lead"</a>
                                    </div>
                                </div>
                                <Tabs current=view_key manages/>
                                {(view_key.is_empty() || view_key == "list").then(|| view! { <views::Views company_id catalog=cat.clone() filter/> })}
                                {(view_key != "duplicates").then(|| view! { <Filters company_id catalog=cat filter view_key/> })}
                                {content}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The API's CSV of the leads the board shows: the same filters, the page's session.
fn export_href(company_id: i64, f: &LeadFilter) -> String {
    let query = filter_query(f, API_NAMES);
    format!("/api/v1/companies/{company_id}/leads/export?{query}")
}

/// The filters in use as a form's hidden fields, named as the form's server
/// function reads them (`filter[q]`, or `form[filter][q]` inside a form struct),
/// for the forms that act on what the board shows.
pub(super) fn filter_inputs(prefix: &'static str, f: &LeadFilter) -> impl IntoView {
    let id = |v: Option<i64>| v.map(|v| v.to_string());
    [
        ("q", f.q.clone()),
        ("source", id(f.source_id)),
        ("campaign", id(f.campaign_id)),
        ("cycle", id(f.cycle_id)),
        ("assignee", id(f.assigned_user_access_id)),
        ("stage", id(f.stage_id)),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value.map(
            |value| view! { <input type="hidden" name=format!("{prefix}[{name}]") value=value/> },
        )
    })
    .collect_view()
}

/// Export the leads shown: streamed at once, or, for a large export, written as a
/// file in the background to download when ready.
#[component]
fn Export(company_id: i64, filter: LeadFilter) -> impl IntoView {
    let note = format!(
        "For more than {} leads: the file is prepared while you work and downloads when ready.",
        leadsy::numbers::grouped(EXPORT_STREAM_MAX)
    );
    view! {
        <details class="relative" data-testid="export">
            <summary class="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 [&::-webkit-details-marker]:hidden" data-testid="export-leads">"Export"</summary>
            <div class="absolute right-0 z-20 mt-1 w-72 max-w-[85vw] space-y-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg">
                <a href=export_href(company_id, &filter) download class="block font-medium text-indigo-800 underline" data-testid="export-now">"Download the CSV now"</a>
                <form method="post" action=ExportLeads::PATH class="space-y-1">
                    <input type="hidden" name="company_id" value=company_id/>
                    {filter_inputs("filter", &filter)}
                    <button type="submit" class="font-medium text-indigo-800 underline" data-testid="export-job">"Prepare the file in the background"</button>
                    <p class="text-xs text-slate-600">{note}</p>
                </form>
            </div>
        </details>
    }
}

#[component]
fn Tabs(current: &'static str, manages: bool) -> impl IntoView {
    let item = move |key: &'static str, label: &'static str| {
        let href = if key.is_empty() {
            "/board".to_string()
        } else {
            format!("/board?view={key}")
        };
        let class = if current == key {
            "border-b-2 border-indigo-600 px-1 pb-2 font-medium text-indigo-800"
        } else {
            "border-b-2 border-transparent px-1 pb-2 text-slate-700 hover:text-slate-900"
        };
        view! { <a href=href class=class aria-current=(current == key).then_some("page")>{label}</a> }
    };
    view! {
        <nav class="flex gap-6 border-b border-slate-200 text-sm" aria-label="Views">
            {item("", "Board")}
            {item("list", "List")}
            {manages.then(|| item("unassigned", "Unassigned"))}
            {item("duplicates", "Duplicates")}
        </nav>
    }
}

/// A GET form: the filters land in the address, so a filtered board can be
/// reloaded, bookmarked and shared. Search stays in sight; the rest folds away,
/// open when one of them is set.
#[component]
fn Filters(
    company_id: i64,
    catalog: Choices,
    filter: Memo<LeadFilter>,
    view_key: &'static str,
) -> impl IntoView {
    let f = filter.get_untracked();
    let select = |name: &'static str,
                  label: &'static str,
                  chosen: Option<i64>,
                  options: Vec<(i64, String)>| {
        view! {
            <label class="flex min-w-40 flex-1 flex-col text-xs font-medium text-slate-700 sm:flex-none">
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
    let stages = catalog
        .stages
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let set = [
        f.source_id,
        f.campaign_id,
        f.cycle_id,
        f.assigned_user_access_id,
        f.stage_id.filter(|_| view_key == "list"),
    ]
    .iter()
    .filter(|v| v.is_some())
    .count();
    let summary = if set == 0 {
        "Filters".to_string()
    } else {
        format!("Filters ({set})")
    };
    view! {
        <form method="get" action="/board" class="rounded-xl border border-slate-200 bg-white p-2 shadow-sm" data-testid="filters" role="search">
            {(!view_key.is_empty()).then(|| view! { <input type="hidden" name="view" value=view_key/> })}
            <div class="flex flex-wrap items-center gap-2">
                <search::SearchBox company_id initial=f.q.clone().unwrap_or_default()/>
                <button type="submit" class="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900">"Search"</button>
                {(set > 0 || f.q.is_some()).then(|| view! {
                    <a href=if view_key.is_empty() { "/board".to_string() } else { format!("/board?view={view_key}") } class="px-1 py-1.5 text-sm text-slate-700 underline">"Clear"</a>
                })}
            </div>
            <details class="mt-1" open={set > 0}>
                <summary class="cursor-pointer px-1 py-1 text-sm text-slate-700">{summary}</summary>
                <div class="flex flex-wrap items-end gap-3 px-1 pb-1 pt-2">
                    {catalog.manages.then(|| select("assignee", "Assignee", f.assigned_user_access_id, members))}
                    {select("source", "Source", f.source_id, sources)}
                    {select("campaign", "Campaign", f.campaign_id, campaigns)}
                    {select("cycle", "Cycle", f.cycle_id, cycles)}
                    {(view_key == "list").then(|| select("stage", "Stage", f.stage_id, stages))}
                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">"Apply"</button>
                </div>
            </details>
        </form>
    }
}

#[component]
fn BoardView(company_id: i64, filter: Memo<LeadFilter>, manages: bool) -> impl IntoView {
    let data = Resource::new(
        move || LeadFilter {
            stage_id: None,
            ..filter.get()
        },
        move |f| board(company_id, f),
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => load_failed(e),
                    Ok(b) => {
                        let f = LeadFilter { stage_id: None, ..filter.get_untracked() };
                        let empty = b.columns.iter().all(|c| c.metric.count == 0);
                        view! {
                            {empty.then(|| view! { <EmptyBoard filtered=f != LeadFilter::default() manages/> })}
                            <columns::Board company_id filter=f board=b/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// What to do when there is nothing on the board.
#[component]
fn EmptyBoard(filtered: bool, manages: bool) -> impl IntoView {
    if filtered {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700" data-testid="board-empty">
                "No lead matches these filters. "
                <a href="/board" class="font-medium text-indigo-800 underline">"Show every lead"</a>
            </p>
        }
        .into_any();
    }
    view! {
        <div class="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700" data-testid="board-empty">
            <p class="font-medium text-slate-900">{if manages { "No leads yet." } else { "No leads are assigned to you yet." }}</p>
            <p class="mt-1">
                <a href="/leads/new" class="font-medium text-indigo-800 underline">"Add a lead"</a>
                {if manages {
                    view! { " by hand, or " <a href="/imports" class="font-medium text-indigo-800 underline">"import a CSV file"</a> " of the leads you already have." }.into_any()
                } else {
                    view! { " yourself, or wait for your manager to route leads to you." }.into_any()
                }}
            </p>
        </div>
    }
    .into_any()
}
