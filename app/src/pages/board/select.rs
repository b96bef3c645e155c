//! Choosing many leads and changing them at once: the list view of the leads the
//! filters match, with a box on each row, "all N matching" for the whole
//! selection, and a menu of what to do (assign, move, set the source or campaign,
//! delete). A plain form: it works before the page's script has loaded.

use super::lists::{lead_table, page_from_query, Pager};
use crate::components::form::{FormError, Outcome};
use crate::components::panel::load_failed;
use crate::rpc::board::{lead_list, Choices};
use crate::rpc::bulk::ChangeLeads;
use leadsy::leads::LeadFilter;
use leadsy::numbers::grouped;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The leads the filters match, newest first, fifty a page; managers tick them to
/// change them.
#[component]
pub fn LeadList(company_id: i64, filter: Memo<LeadFilter>, catalog: Choices) -> impl IntoView {
    let page = page_from_query();
    let data = Resource::new(
        move || (filter.get(), page.get()),
        move |(f, p)| lead_list(company_id, f, p),
    );
    view! {
        <Changed/>
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let catalog = catalog.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => load_failed(e),
                        Ok((leads, _)) if leads.is_empty() => view! {
                            <p class="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="list-empty">
                                "No lead matches these filters."
                            </p>
                        }.into_any(),
                        Ok((leads, meta)) if catalog.manages => {
                            let all = Some((meta.total, filter.get_untracked()));
                            let table = lead_table(leads, &catalog.stages, true);
                            view! {
                                <div class="space-y-3">
                                    <Selection company_id catalog all>{table}</Selection>
                                    <Pager meta view_key="list"/>
                                </div>
                            }.into_any()
                        }
                        Ok((leads, meta)) => view! {
                            <div class="space-y-3">
                                {lead_table(leads, &catalog.stages, false)}
                                <Pager meta view_key="list"/>
                            </div>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What the last change did, once the selection form has come back to its page
/// (which may show none of the changed leads any more).
#[component]
pub fn Changed() -> impl IntoView {
    let changed = use_query_map()
        .read_untracked()
        .get("changed")
        .and_then(|n| n.parse::<i64>().ok());
    changed.map(|n| {
        let note = match n {
            0 => "No lead needed that change.".to_string(),
            1 => "1 lead changed.".to_string(),
            n => format!("{} leads changed.", grouped(n)),
        };
        view! {
            <p class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" role="status" data-testid="bulk-done">{note}</p>
        }
    })
}

/// A form around a table of leads whose rows have boxes: the action bar on top.
/// `all` offers every lead matching a filter, however many pages they fill.
#[component]
pub fn Selection(
    company_id: i64,
    catalog: Choices,
    all: Option<(i64, LeadFilter)>,
    children: Children,
) -> impl IntoView {
    let action = ServerAction::<ChangeLeads>::new();
    let outcome: Outcome = action.value().into();
    let location = use_location();
    let query = use_query_map();
    // Back to this page without the last change's note.
    let back = {
        let mut q = query.get_untracked();
        q.remove("changed");
        format!(
            "{}{}",
            location.pathname.get_untracked(),
            q.to_query_string()
        )
    };
    let option = |value: String, label: String| view! { <option value=value>{label}</option> };
    let members = catalog
        .members
        .iter()
        .map(|m| {
            option(
                format!("assign:{}", m.user_access_id),
                m.user.display_name(),
            )
        })
        .collect_view();
    let stages = catalog
        .stages
        .iter()
        .map(|s| option(format!("move:{}", s.id), s.name.clone()))
        .collect_view();
    let sources = catalog
        .sources
        .iter()
        .map(|s| option(format!("source:{}", s.id), s.name.clone()))
        .collect_view();
    let campaigns = catalog
        .campaigns
        .iter()
        .map(|c| option(format!("campaign:{}", c.id), c.name.clone()))
        .collect_view();
    view! {
        <FormError outcome/>
        <ActionForm action attr:class="space-y-2" attr:data-testid="selection">
            <input type="hidden" name="company_id" value=company_id/>
            <input type="hidden" name="form[back]" value=back/>
            {all.as_ref().map(|(_, f)| super::filter_inputs("form[filter]", f))}
            <div class="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border border-slate-200 bg-white p-2 text-sm shadow-sm" data-testid="bulk-bar">
                <span class="font-medium text-slate-800">"Tick leads below, or"</span>
                {all.map(|(n, _)| view! {
                    <label class="flex items-center gap-2 text-slate-800">
                        <input type="checkbox" name="form[all]" value="on" data-testid="select-all"/>
                        {format!("all {} matching leads", grouped(n))}
                    </label>
                })}
                <select name="form[choice]" required aria-label="What to do with the chosen leads" data-testid="bulk-choice"
                    class="min-w-0 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
                    <option value="">"Choose what to do…"</option>
                    <optgroup label="Assign to">
                        {members}
                        <option value="assign:none">"Nobody (unassign)"</option>
                        <option value="route">"Whom the routing rules choose"</option>
                    </optgroup>
                    <optgroup label="Move to stage">{stages}</optgroup>
                    <optgroup label="Set the source">
                        {sources}
                        <option value="source:none">"No source"</option>
                    </optgroup>
                    <optgroup label="Set the campaign">
                        {campaigns}
                        <option value="campaign:none">"No campaign"</option>
                    </optgroup>
                    <optgroup label="Delete">
                        <option value="delete">"Delete, with notes and appointments"</option>
                    </optgroup>
                </select>
                <label class="flex items-center gap-2 text-slate-700">
                    <input type="checkbox" name="form[confirm]" value="on" data-testid="confirm-delete"/>
                    "Yes, delete for good (needed to delete)"
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700" data-testid="bulk-apply">"Apply"</button>
            </div>
            {children()}
        </ActionForm>
    }
}
