//! Cycles: named date ranges that tag new leads while they are turned on.

use super::{load_failed, read_only, settings_page, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::rpc::board::catalog;
use crate::rpc::company::{my_standing, Standing};
use crate::rpc::process::{CreateCycle, SetCycles};
use leadsy::cycles::Cycle;
use leptos::prelude::*;

#[component]
pub fn CyclesSettings() -> impl IntoView {
    settings_page("cycles", |company_id| {
        view! { <Cycles company_id/> }.into_any()
    })
}

#[component]
fn Cycles(company_id: i64) -> impl IntoView {
    let toggle = ServerAction::<SetCycles>::new();
    let create = ServerAction::<CreateCycle>::new();
    let choices = Resource::new(move || create.version().get(), move |_| catalog(company_id));
    let me = Resource::new(
        move || toggle.version().get(),
        move |_| my_standing(company_id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (choices.await, me.await) {
                    (Err(e), _) | (_, Err(e)) => load_failed(e),
                    (Ok(choices), Ok(me)) => view! { <CycleList cycles=choices.cycles me toggle create/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CycleList(
    cycles: Vec<Cycle>,
    me: Standing,
    toggle: ServerAction<SetCycles>,
    create: ServerAction<CreateCycle>,
) -> impl IntoView {
    let toggle_outcome: Outcome = toggle.value().into();
    let outcome: Outcome = create.value().into();
    let field = move |key: &'static str| move || error_of(outcome)().and_then(|e| e.field(key));
    let company_id = me.company.id;
    let on = me.company.cycles_enabled;
    let (admin, manages) = (me.is_admin(), me.manages());
    view! {
        <Panel title="Cycles" note="While cycles are on, each new lead is tagged with the cycle its creation day falls in. Cycles never overlap.">
            <FormError outcome=toggle_outcome/>
            <div class="flex items-center justify-between gap-3 rounded-lg bg-slate-50 p-3">
                <p class="text-sm" data-testid="cycles-state">
                    {if on { "Cycles are on: new leads are tagged." } else { "Cycles are off: new leads are not tagged." }}
                </p>
                {if admin {
                    view! {
                        <ActionForm action=toggle>
                            <input type="hidden" name="company_id" value=company_id/>
                            <input type="hidden" name="enabled" value=(!on).to_string()/>
                            <button type="submit" class=BUTTON>{if on { "Turn off" } else { "Turn on" }}</button>
                        </ActionForm>
                    }
                    .into_any()
                } else {
                    view! { <span class="text-xs text-slate-600">"Admins turn cycles on or off."</span> }.into_any()
                }}
            </div>
            {if cycles.is_empty() {
                view! { <p class="text-sm text-slate-600">"No cycles yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100" data-testid="cycles">
                        {cycles.into_iter().map(|c| view! {
                            <li class="flex justify-between py-2 text-sm" data-testid="cycle">
                                <span class="font-medium">{c.name}</span>
                                <span class="text-slate-600">{format!("{} to {}", c.starts_on.as_str(), c.ends_on.as_str())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </Panel>
        {if manages {
            view! {
                <Panel title="New cycle">
                    <FormError outcome fields=&["name", "starts_on", "ends_on"]/>
                    <ActionForm action=create attr:class="grid gap-3 sm:grid-cols-3 sm:items-end">
                        <input type="hidden" name="company_id" value=company_id/>
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Name"</span>
                            <input name="name" required value=typed(outcome, "name") placeholder="2026 Q4" class=INPUT/>
                            {move || field("name")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Name "{m}</span> })}
                        </label>
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Starts on"</span>
                            <input type="date" name="starts_on" required value=typed(outcome, "starts_on") class=INPUT/>
                            {move || field("starts_on")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Start "{m}</span> })}
                        </label>
                        <label class="block text-sm">
                            <span class="font-medium text-slate-700">"Ends on"</span>
                            <input type="date" name="ends_on" required value=typed(outcome, "ends_on") class=INPUT/>
                            {move || field("ends_on")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"End "{m}</span> })}
                        </label>
                        <div class="sm:col-span-3"><button type="submit" class=BUTTON>"Add cycle"</button></div>
                    </ActionForm>
                </Panel>
            }
            .into_any()
        } else {
            read_only("managers and admins").into_any()
        }}
    }
}
