//! The plan: what it allows and how much is used, changing it, cancelling it (it
//! stays active to the end of the paid period).

use super::{load_failed, read_only, settings_page, Confirm, Panel, BUTTON};
use crate::components::form::{FormError, Outcome};
use crate::components::zone::on_day;
use crate::rpc::company::{company_usage, my_standing, CancelPlan, ChangePlan, Standing};
use crate::rpc::onboarding::plans;
use leadsy::memberships::{Membership, PlanUsage};
use leadsy::numbers::grouped;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn PlanSettings() -> impl IntoView {
    settings_page("plan", |company_id| view! { <Plan company_id/> }.into_any())
}

#[component]
fn Plan(company_id: i64) -> impl IntoView {
    let change = ServerAction::<ChangePlan>::new();
    let cancel = ServerAction::<CancelPlan>::new();
    let versions = move || (change.version().get(), cancel.version().get());
    let me = Resource::new(versions, move |_| my_standing(company_id));
    let usage = Resource::new(versions, move |_| company_usage(company_id));
    let options = Resource::new(|| (), |_| plans());
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (me.await, usage.await, options.await) {
                    (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => load_failed(e),
                    (Ok(me), Ok(usage), Ok(options)) => view! { <PlanView me usage options change cancel/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A bar of how much of a limit is used.
fn meter(label: &'static str, used: i64, limit: i64) -> impl IntoView {
    let percent = if limit > 0 {
        (used * 100 / limit).min(100)
    } else {
        100
    };
    let color = if percent >= 90 {
        "bg-red-500"
    } else {
        "bg-indigo-600"
    };
    view! {
        <div>
            <div class="flex justify-between text-sm">
                <span class="text-slate-700">{label}</span>
                <span class="text-slate-600" data-testid=format!("usage-{}", label.to_lowercase())>{format!("{} of {}", grouped(used), grouped(limit))}</span>
            </div>
            <div class="mt-1 h-2 rounded-full bg-slate-200">
                <div class=format!("h-2 rounded-full {color}") style=format!("width: {percent}%")></div>
            </div>
        </div>
    }
}

#[component]
fn PlanView(
    me: Standing,
    usage: PlanUsage,
    options: Vec<Membership>,
    change: ServerAction<ChangePlan>,
    cancel: ServerAction<CancelPlan>,
) -> impl IntoView {
    let change_outcome: Outcome = change.value().into();
    let cancel_outcome: Outcome = cancel.value().into();
    let company = me.company.clone();
    let company_id = company.id;
    let current = company.membership.as_ref().map(|m| m.id);
    let status = match (
        &company.membership,
        &company.membership_cancelled_at,
        &company.membership_period_ends_at,
    ) {
        (None, ..) => "No plan chosen: the company has the Free plan's limits.".to_string(),
        (Some(m), Some(_), Some(end)) => format!(
            "{} is cancelled and stays active until {}.",
            m.name,
            on_day(*end)
        ),
        (Some(m), _, Some(end)) => {
            format!(
                "{} ({}), renews on {}.",
                m.name,
                m.price_label(),
                on_day(*end)
            )
        }
        (Some(m), ..) => format!("{} ({}).", m.name, m.price_label()),
    };
    let cancellable = company.membership.is_some() && company.membership_cancelled_at.is_none();
    let admin = me.is_admin();
    view! {
        <Panel title="Plan">
            <p class="font-medium" data-testid="plan-status">{status}</p>
            {meter("Seats", usage.seats_used, usage.seat_limit)}
            {meter("Leads", usage.leads, usage.lead_limit)}
            <p class="text-xs text-slate-600">"Seats count members and pending invitations."</p>
            {(!admin).then(|| read_only("admins"))}
        </Panel>
        {admin.then(|| view! {
            <Panel title="Change plan" note="A new plan starts a new period at once. A smaller plan must still hold your team and leads.">
                <FormError outcome=change_outcome/>
                <ul class="grid gap-3 sm:grid-cols-3">
                    {options.into_iter().map(|m| {
                        let here = current == Some(m.id);
                        view! {
                            <li class=if here { "rounded-lg border-2 border-indigo-600 bg-indigo-50 p-4" } else { "rounded-lg border border-slate-200 p-4" } data-testid="plan-option">
                                <p class="font-semibold">{m.name.clone()}</p>
                                <p class="text-sm text-slate-600">{m.price_label()}</p>
                                <p class="mt-1 text-sm text-slate-600">{format!("{} seats, {} leads", m.seat_limit, grouped(m.lead_limit))}</p>
                                {if here && cancellable {
                                    view! { <p class="mt-3 text-sm font-medium text-indigo-700">"Current plan"</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=change attr:class="mt-3">
                                            <input type="hidden" name="company_id" value=company_id/>
                                            <input type="hidden" name="membership_id" value=m.id/>
                                            <button type="submit" class=BUTTON>{if here { format!("Keep {}", m.name) } else { format!("Switch to {}", m.name) }}</button>
                                        </ActionForm>
                                    }
                                    .into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Panel>
            {cancellable.then(|| view! {
                <Panel title="Cancel plan" note="The plan stays active until the end of the period you paid for; then the company has the Free plan's limits.">
                    <FormError outcome=cancel_outcome/>
                    <Confirm action=CancelPlan::PATH label="Cancel the plan" question="Cancel the plan at the end of the period?".to_string()>
                        <input type="hidden" name="company_id" value=company_id/>
                    </Confirm>
                </Panel>
            })}
        })}
    }
}
