//! The board's other views: leads nobody owns yet, and leads that look like the
//! same person (shared email or phone), each a paged list.

use super::select::Selection;
use crate::components::panel::load_failed;
use crate::components::zone::on_day;
use crate::rpc::board::{duplicate_groups, unassigned_leads, Choices};
use leadsy::leads::{format_amount, Lead, LeadFilter};
use leadsy::paging::Meta;
use leadsy::stages::Stage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub(super) fn page_from_query() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
            .max(1)
    })
}

/// Previous/next links that keep the rest of the address.
#[component]
pub(super) fn Pager(meta: Meta, view_key: &'static str) -> impl IntoView {
    let last = ((meta.total + meta.per_page - 1) / meta.per_page).max(1);
    let query = use_query_map();
    let link = move |page: i64| {
        let mut q = query.get_untracked();
        q.replace("view", view_key.to_string());
        q.replace("page", page.to_string());
        format!("/board{}", q.to_query_string())
    };
    view! {
        <nav class="flex items-center justify-between text-sm text-slate-600" aria-label="Pages">
            <span>{format!("Page {} of {} · {} in all", meta.page, last, meta.total)}</span>
            <span class="flex gap-3">
                {(meta.page > 1).then(|| view! { <a class="text-indigo-800 underline" href=link(meta.page - 1)>"Previous"</a> })}
                {(meta.page < last).then(|| view! { <a class="text-indigo-800 underline" href=link(meta.page + 1)>"Next"</a> })}
            </span>
        </nav>
    }
}

fn lead_row(lead: Lead, stages: &[Stage], selectable: bool) -> impl IntoView {
    let name = lead.full_name();
    let stage = stages
        .iter()
        .find(|s| s.id == lead.stage_id)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    view! {
        <tr class="border-t border-slate-100" data-testid="lead-row">
            {selectable.then(|| view! {
                <td class="px-3 py-2">
                    <input type="checkbox" name=format!("form[ids][{}]", lead.id) value="on" aria-label=format!("Choose {name}") data-testid="choose-lead"/>
                </td>
            })}
            <td class="px-3 py-2"><a class="font-medium text-indigo-800 underline" href=format!("/leads/{}", lead.id)>{lead.full_name()}</a></td>
            <td class="px-3 py-2 text-slate-600">{lead.company_name.clone()}</td>
            <td class="px-3 py-2 text-slate-600">{lead.email.clone().unwrap_or_default()}</td>
            <td class="px-3 py-2 text-slate-600">{lead.phone.clone().unwrap_or_default()}</td>
            <td class="px-3 py-2 text-slate-600">{stage}</td>
            <td class="px-3 py-2 text-slate-600">{lead.assignee_name.clone().unwrap_or_else(|| "Unassigned".into())}</td>
            <td class="px-3 py-2 text-slate-600">{lead.source_name.clone().unwrap_or_default()}</td>
            <td class="px-3 py-2 text-right text-slate-600">{format_amount(lead.value_cents)}</td>
            <td class="px-3 py-2 text-slate-600">{on_day(lead.created_at)}</td>
        </tr>
    }
}

/// Leads as a table; `selectable` puts a box on each row for a selection form.
pub(super) fn lead_table(leads: Vec<Lead>, stages: &[Stage], selectable: bool) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-left text-sm">
                <thead class="bg-slate-50 text-xs uppercase text-slate-600">
                    <tr>
                        {selectable.then(|| view! { <th class="w-8 px-3 py-2"><span class="sr-only">"Chosen"</span></th> })}
                        <th class="px-3 py-2">"Name"</th><th class="px-3 py-2">"Company"</th><th class="px-3 py-2">"Email"</th>
                        <th class="px-3 py-2">"Phone"</th><th class="px-3 py-2">"Stage"</th><th class="px-3 py-2">"Assignee"</th><th class="px-3 py-2">"Source"</th><th class="px-3 py-2 text-right">"Value"</th>
                        <th class="px-3 py-2">"Created"</th>
                    </tr>
                </thead>
                <tbody>{leads.into_iter().map(|l| lead_row(l, stages, selectable)).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Unassigned(company_id: i64, filter: Memo<LeadFilter>, catalog: Choices) -> impl IntoView {
    let page = page_from_query();
    let data = Resource::new(
        move || (filter.get(), page.get()),
        move |(f, p)| unassigned_leads(company_id, f, p),
    );
    view! {
        <super::select::Changed/>
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let catalog = catalog.clone();
                Suspend::new(async move {
                match data.await {
                    Err(e) => load_failed(e),
                    Ok((leads, _)) if leads.is_empty() => view! {
                        <p class="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
                            "Every lead has someone working it."
                        </p>
                    }.into_any(),
                    Ok((leads, meta)) => {
                        let table = lead_table(leads, &catalog.stages, true);
                        view! {
                            <div class="space-y-3">
                                <Selection company_id catalog all=None>{table}</Selection>
                                <Pager meta view_key="unassigned"/>
                            </div>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}

#[component]
pub fn Duplicates(company_id: i64, catalog: Choices) -> impl IntoView {
    let manages = catalog.manages;
    let stages = catalog.stages;
    let page = page_from_query();
    let data = Resource::new(move || page.get(), move |p| duplicate_groups(company_id, p));
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let stages = stages.clone();
                Suspend::new(async move {
                match data.await {
                    Err(e) => load_failed(e),
                    Ok((groups, _)) if groups.is_empty() => view! {
                        <p class="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
                            "No two leads share an email or a phone."
                        </p>
                    }.into_any(),
                    Ok((groups, meta)) => view! {
                        <div class="space-y-4">
                            {groups.into_iter().map(|g| view! {
                                <section class="space-y-2" data-testid="duplicate-group">
                                    <div class="flex flex-wrap items-center justify-between gap-2">
                                        <h2 class="text-sm font-semibold text-slate-700">
                                            {format!("{} leads share the {} ", g.count, g.matched_on)}
                                            <code class="rounded bg-slate-100 px-1">{g.value.clone()}</code>
                                        </h2>
                                        {manages.then(|| {
                                            let ids = g.leads.iter().map(|l| l.id.to_string()).collect::<Vec<_>>().join(",");
                                            view! { <a href=format!("/leads/merge?ids={ids}") class="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50" data-testid="merge-group">"Merge…"</a> }
                                        })}
                                    </div>
                                    {lead_table(g.leads, &stages, false)}
                                </section>
                            }).collect_view()}
                            <Pager meta view_key="duplicates"/>
                        </div>
                    }.into_any(),
                }
            })}}
        </Suspense>
    }
}
