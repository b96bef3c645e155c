//! Sources in priority order (drag to reorder) and the reps each one routes to.

use super::{load_failed, read_only, settings_page, Confirm, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::components::reorder::{reorder_list, Ordered};
use crate::rpc::board::{catalog, Choices};
use crate::rpc::company::my_standing;
use crate::rpc::routing::{
    AssignSourceRep, CreateSource, DeleteSource, ReorderSources, UnassignSourceRep,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn SourcesSettings() -> impl IntoView {
    settings_page("sources", |company_id| {
        view! { <Sources company_id/> }.into_any()
    })
}

/// Every change on the page, so that the list reloads after any of them.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateSource>,
    delete: ServerAction<DeleteSource>,
    reorder: ServerAction<ReorderSources>,
    assign: ServerAction<AssignSourceRep>,
    unassign: ServerAction<UnassignSourceRep>,
}

#[component]
fn Sources(company_id: i64) -> impl IntoView {
    let a = Actions {
        create: ServerAction::new(),
        delete: ServerAction::new(),
        reorder: ServerAction::new(),
        assign: ServerAction::new(),
        unassign: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            (
                a.create.version().get(),
                a.delete.version().get(),
                a.reorder.version().get(),
                a.assign.version().get(),
                a.unassign.version().get(),
            )
        },
        move |_| catalog(company_id),
    );
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (data.await, me.await) {
                    (Err(e), _) | (_, Err(e)) => load_failed(e),
                    (Ok(choices), Ok(me)) => view! { <SourceList company_id choices manages=me.manages() a/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SourceList(company_id: i64, choices: Choices, manages: bool, a: Actions) -> impl IntoView {
    let outcomes: [Outcome; 4] = [
        a.delete.value().into(),
        a.reorder.value().into(),
        a.assign.value().into(),
        a.unassign.value().into(),
    ];
    let create_outcome: Outcome = a.create.value().into();
    let name_error = move || error_of(create_outcome)().and_then(|e| e.field("name"));
    let ids = choices.sources.iter().map(|s| s.id).collect::<Vec<_>>();
    let row = move |id: i64| -> AnyView {
        let source = choices.sources.iter().find(|s| s.id == id).cloned();
        let Some(source) = source else {
            return ().into_any();
        };
        let rep_name = |ua: i64| {
            choices
                .members
                .iter()
                .find(|m| m.user_access_id == ua)
                .map(|m| m.user.display_name())
                .unwrap_or_else(|| "Former member".into())
        };
        let others = choices
            .members
            .iter()
            .filter(|m| !source.user_access_ids.contains(&m.user_access_id))
            .map(|m| (m.user_access_id, m.user.display_name()))
            .collect::<Vec<_>>();
        let name = source.name.clone();
        let chips = source
            .user_access_ids
            .into_iter()
            .map(|ua| {
                let rep = rep_name(ua);
                let label = format!("Stop routing {name} leads to {rep}");
                view! {
                    <span class="inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800" data-testid="rep">
                        {rep}
                        {manages.then(|| view! {
                            <ActionForm action=a.unassign attr:class="inline">
                                <input type="hidden" name="company_id" value=company_id/>
                                <input type="hidden" name="source_id" value=id/>
                                <input type="hidden" name="user_access_id" value=ua/>
                                <button type="submit" class="text-indigo-700 hover:text-red-700" aria-label=label>"×"</button>
                            </ActionForm>
                        })}
                    </span>
                }
            })
            .collect_view();
        let (rep_label, delete_label) = (
            format!("Rep for {name}"),
            format!("Delete the source {name}"),
        );
        view! {
            <div class="flex items-start gap-3" data-testid="source" data-name=name.clone()>
                <div class="flex flex-1 flex-wrap items-center gap-2">
                <span class="mr-2 font-medium">{name.clone()}</span>
                {chips}
                {(manages && !others.is_empty()).then(|| view! {
                    <ActionForm action=a.assign attr:class="flex items-center gap-1">
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="source_id" value=id/>
                        <select name="user_access_id" aria-label=rep_label class="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs">
                            {others.into_iter().map(|(ua, name)| view! { <option value=ua>{name}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100">"Add rep"</button>
                    </ActionForm>
                })}
                </div>
                {manages.then(|| view! {
                    <Confirm action=DeleteSource::PATH label="Delete" question=format!("{delete_label}? Its leads keep their other fields.")>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="source_id" value=id/>
                    </Confirm>
                })}
            </div>
        }
        .into_any()
    };
    let empty = ids.is_empty();
    view! {
        <Panel title="Sources" note="Where leads come from. A new lead without a territory goes round robin to its source's reps; drag to set the order sources are listed and matched in.">
            {outcomes.into_iter().map(|outcome| view! { <FormError outcome/> }).collect_view()}
            {(!manages).then(|| read_only("managers and admins"))}
            {if empty {
                view! { <p class="text-sm text-slate-600">"No sources yet."</p> }.into_any()
            } else {
                view! {
                    {reorder_list(company_id, ids, Ordered::Sources, manages, row)}
                }
                .into_any()
            }}
            {manages.then(|| view! {
                <FormError outcome=create_outcome fields=&["name"]/>
                <ActionForm action=a.create attr:class="flex items-end gap-3">
                    <input type="hidden" name="company_id" value=company_id/>
                    <label class="block flex-1 text-sm">
                        <span class="font-medium text-slate-700">"New source"</span>
                        <input name="name" required value=typed(create_outcome, "name") placeholder="Web form, Trade show, Referral…" class=INPUT data-testid="source-name"/>
                        {move || name_error().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Name "{m}</span> })}
                    </label>
                    <button type="submit" class=BUTTON>"Add source"</button>
                </ActionForm>
            })}
        </Panel>
    }
}
