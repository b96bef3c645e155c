//! Territories: postal codes and the reps who work them. They route a lead before
//! its source does.

use super::{load_failed, read_only, settings_page, Confirm, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::rpc::board::{catalog, Choices};
use crate::rpc::company::my_standing;
use crate::rpc::routing::{territories, CreateTerritory, DeleteTerritory};
use leadsy::territories::Territory;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn TerritoriesSettings() -> impl IntoView {
    settings_page("territories", |company_id| {
        view! { <Territories company_id/> }.into_any()
    })
}

#[component]
fn Territories(company_id: i64) -> impl IntoView {
    let create = ServerAction::<CreateTerritory>::new();
    let delete = ServerAction::<DeleteTerritory>::new();
    let list = Resource::new(
        move || (create.version().get(), delete.version().get()),
        move |_| territories(company_id),
    );
    let choices = Resource::new(move || company_id, catalog);
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (list.await, choices.await, me.await) {
                    (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => load_failed(e),
                    (Ok(list), Ok(choices), Ok(me)) => view! {
                        <TerritoryList company_id list choices manages=me.manages() create delete/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TerritoryList(
    company_id: i64,
    list: Vec<Territory>,
    choices: Choices,
    manages: bool,
    create: ServerAction<CreateTerritory>,
    delete: ServerAction<DeleteTerritory>,
) -> impl IntoView {
    let outcome: Outcome = create.value().into();
    let delete_outcome: Outcome = delete.value().into();
    let field = move |key: &'static str| move || error_of(outcome)().and_then(|e| e.field(key));
    let members = choices.members.clone();
    let rep_names = move |ids: &[i64]| {
        let names = ids
            .iter()
            .filter_map(|ua| members.iter().find(|m| m.user_access_id == *ua))
            .map(|m| m.user.display_name())
            .collect::<Vec<_>>();
        if names.is_empty() {
            "No reps: leads here fall through to their source".to_string()
        } else {
            names.join(", ")
        }
    };
    view! {
        <Panel title="Territories" note="A lead whose postal code a territory holds goes round robin to its reps. When two territories share a code, the older one wins.">
            <FormError outcome=delete_outcome/>
            {(!manages).then(|| read_only("managers and admins"))}
            {if list.is_empty() {
                view! { <p class="text-sm text-slate-600">"No territories yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100" data-testid="territories">
                        {list.into_iter().map(|t| view! {
                            <li class="flex items-start gap-3 py-3" data-testid="territory">
                                <div class="min-w-0 flex-1">
                                    <p class="font-medium">{t.name.clone()}</p>
                                    <p class="text-sm text-slate-600">{t.postal_codes.join(", ")}</p>
                                    <p class="text-xs text-slate-600">{rep_names(&t.user_access_ids)}</p>
                                </div>
                                {manages.then(|| view! {
                                    <Confirm action=DeleteTerritory::PATH label="Delete" question=format!("Delete the territory {}?", t.name)>
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="hidden" name="territory_id" value=t.id/>
                                    </Confirm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </Panel>
        {manages.then(|| view! {
            <Panel title="New territory">
                <FormError outcome fields=&["name", "postal_codes", "user_access_ids"]/>
                <ActionForm action=create attr:class="space-y-3">
                    <input type="hidden" name="company_id" value=company_id/>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Name"</span>
                        <input name="name" required value=typed(outcome, "name") placeholder="North" class=INPUT/>
                        {move || field("name")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Name "{m}</span> })}
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Postal codes"</span>
                        <textarea name="postal_codes" rows="2" required placeholder="10115, 10117, 10119" class=INPUT>{typed(outcome, "postal_codes")}</textarea>
                        <span class="mt-1 block text-xs text-slate-600">"Separate them with commas, spaces or new lines."</span>
                        {move || field("postal_codes")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Postal codes "{m}</span> })}
                    </label>
                    <fieldset class="text-sm">
                        <legend class="font-medium text-slate-700">"Reps"</legend>
                        <div class="mt-1 grid gap-1 sm:grid-cols-2">
                            {choices.members.iter().map(|m| view! {
                                <label class="flex items-center gap-2">
                                    <input type="checkbox" name="reps[]" value=m.user_access_id class="h-4 w-4"/>
                                    {m.user.display_name()}
                                </label>
                            }).collect_view()}
                        </div>
                        {move || field("user_access_ids")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Reps "{m}</span> })}
                    </fieldset>
                    <button type="submit" class=BUTTON>"Add territory"</button>
                </ActionForm>
            </Panel>
        })}
    }
}
