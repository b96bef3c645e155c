//! Merging duplicates: the leads side by side, a choice per field of whose value
//! the merged lead keeps, and which lead it stays as. Undone from the lead's page.

use super::board::member_page;
use crate::components::form::{FormError, Outcome};
use crate::components::panel::load_failed;
use crate::rpc::board::{catalog, Choices};
use crate::rpc::merge::{merge_candidates, MergeLeads};
use leadsy::leads::{format_amount, Lead};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MergePage() -> impl IntoView {
    member_page(false, |company_id| {
        view! { <Chooser company_id/> }.into_any()
    })
}

/// Each field a merge chooses: its form name, its label, and its value as shown.
type Shown = fn(&Lead, &Choices) -> String;

const FIELDS: [(&str, &str, Shown); 11] = [
    ("first_name", "First name", |l, _| l.first_name.clone()),
    ("last_name", "Last name", |l, _| l.last_name.clone()),
    ("company_name", "Company", |l, _| l.company_name.clone()),
    ("email", "Email", |l, _| l.email.clone().unwrap_or_default()),
    ("phone", "Phone", |l, _| l.phone.clone().unwrap_or_default()),
    ("postal_code", "Postal code", |l, _| {
        l.postal_code.clone().unwrap_or_default()
    }),
    ("value_cents", "Value", |l, _| {
        if l.value_cents == 0 {
            String::new()
        } else {
            format_amount(l.value_cents)
        }
    }),
    ("stage_id", "Stage", |l, c| {
        c.stages
            .iter()
            .find(|s| s.id == l.stage_id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }),
    ("source_id", "Source", |l, _| {
        l.source_name.clone().unwrap_or_default()
    }),
    ("campaign_id", "Campaign", |l, _| {
        l.campaign_name.clone().unwrap_or_default()
    }),
    ("assigned_user_access_id", "Assigned to", |l, _| {
        l.assignee_name.clone().unwrap_or_default()
    }),
];

#[component]
fn Chooser(company_id: i64) -> impl IntoView {
    let ids: Vec<i64> = use_query_map()
        .read_untracked()
        .get("ids")
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    let merge = ServerAction::<MergeLeads>::new();
    let outcome: Outcome = merge.value().into();
    let leads = Resource::new(
        move || ids.clone(),
        move |ids| merge_candidates(company_id, ids),
    );
    let catalog = Resource::new(move || company_id, catalog);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (leads, catalog) = (leads.await, catalog.await);
                match leads.and_then(|l| catalog.map(|c| (l, c))) {
                    Err(e) => load_failed(e),
                    Ok((leads, _)) if leads.len() < 2 => view! {
                        <p class="text-slate-700">"Pick two or more leads to merge from the "<a href="/board?view=duplicates" class="text-indigo-800 underline">"Duplicates"</a>" view."</p>
                    }.into_any(),
                    Ok((leads, catalog)) => view! { <Table company_id leads catalog merge outcome/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Table(
    company_id: i64,
    leads: Vec<Lead>,
    catalog: Choices,
    merge: ServerAction<MergeLeads>,
    outcome: Outcome,
) -> impl IntoView {
    let ids = leads
        .iter()
        .map(|l| l.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let header = leads.iter().enumerate().map(|(i, l)| view! {
        <th class="px-3 py-2 align-top">
            <label class="flex items-start gap-2 font-medium normal-case text-slate-900">
                <input type="radio" name="lead_id" value=l.id checked=i == 0 class="mt-1" data-testid="merge-keep"/>
                <span>{format!("Keep as {}", l.full_name())}<span class="block text-xs font-normal text-slate-600">{format!("Lead #{}", l.id)}</span></span>
            </label>
        </th>
    }).collect_view();
    let rows = FIELDS.iter().map(|(name, label, shown)| {
        let values: Vec<String> = leads.iter().map(|l| shown(l, &catalog)).collect();
        // As the server would choose: the first lead's, else the first that has one.
        let pick = values.iter().position(|v| !v.is_empty()).unwrap_or(0);
        let same = values.iter().all(|v| *v == values[0]);
        let cells = leads.iter().zip(values).enumerate().map(|(i, (l, v))| view! {
            <td class="px-3 py-2">
                <label class="flex items-center gap-2">
                    <input type="radio" name=format!("fields[{name}]") value=l.id checked=i == pick disabled=same/>
                    {if v.is_empty() {
                        view! { <span class="text-slate-400">"—"</span> }.into_any()
                    } else {
                        view! { <span class="text-slate-900">{v}</span> }.into_any()
                    }}
                </label>
            </td>
        }).collect_view();
        view! { <tr class="border-t border-slate-100"><th class="px-3 py-2 text-xs font-medium uppercase text-slate-600">{*label}</th>{cells}</tr> }
    }).collect_view();
    view! {
        <div class="space-y-4">
            <div>
                <a href="/board?view=duplicates" class="text-sm text-indigo-800 hover:underline">"← Duplicates"</a>
                <h1 class="text-2xl font-semibold">"Merge leads"</h1>
                <p class="mt-1 text-sm text-slate-700">
                    "Choose the value to keep for each field. Notes, appointments, answers and history move to the lead you keep; the others disappear from every list. You can undo the merge from the lead's page for 30 days."
                </p>
            </div>
            <FormError outcome/>
            <ActionForm action=merge>
                <input type="hidden" name="company_id" value=company_id/>
                <input type="hidden" name="ids" value=ids/>
                <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
                    <table class="min-w-full text-left text-sm" data-testid="merge-table">
                        <thead class="bg-slate-50 text-xs uppercase text-slate-600"><tr><th class="px-3 py-2">"Field"</th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <button type="submit" class="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700" data-testid="merge-submit">
                    {format!("Merge {} leads", leads.len())}
                </button>
            </ActionForm>
        </div>
    }
}
