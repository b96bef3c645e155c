//! Invitations: invite by email with an access, see the pending ones, revoke one.
//! The wizard's team step shows the same panels.

use super::{load_failed, read_only, settings_page, Confirm, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::components::zone::on_day;
use crate::rpc::company::{company_usage, my_standing};
use crate::rpc::team::{team, Invite, RevokeInvitation, TeamData};
use leadsy::memberships::PlanUsage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn InvitationsSettings() -> impl IntoView {
    settings_page("invitations", |company_id| {
        view! { <InviteTeam company_id back="/settings/invitations"/> }.into_any()
    })
}

/// The invite form and the pending invitations (admins). `back` is where a plain
/// form post returns to.
#[component]
pub fn InviteTeam(company_id: i64, back: &'static str) -> impl IntoView {
    let invite = ServerAction::<Invite>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let versions = move || (invite.version().get(), revoke.version().get());
    let data = Resource::new(versions, move |_| team(company_id));
    let usage = Resource::new(versions, move |_| company_usage(company_id));
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (me.await, data.await, usage.await) {
                    (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => load_failed(e),
                    (Ok(me), ..) if !me.is_admin() => view! { <Panel title="Invitations">{read_only("admins")}</Panel> }.into_any(),
                    (_, Ok(data), Ok(usage)) => view! {
                        <InviteForm company_id back data=data.clone() usage invite/>
                        <Pending company_id back data revoke/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InviteForm(
    company_id: i64,
    back: &'static str,
    data: TeamData,
    usage: PlanUsage,
    invite: ServerAction<Invite>,
) -> impl IntoView {
    let outcome: Outcome = invite.value().into();
    let email_error = move || error_of(outcome)().and_then(|e| e.field("email"));
    view! {
        <Panel title="Invite teammates" note="They get an email with a link; it works once, for that email, for 7 days.">
            <FormError outcome fields=&["email"]/>
            <ActionForm action=invite attr:class="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
                <input type="hidden" name="company_id" value=company_id/>
                <input type="hidden" name="back" value=back/>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Email"</span>
                    <input type="email" name="email" required value=typed(outcome, "email") placeholder="teammate@company.com" class=INPUT data-testid="invite-email"/>
                    {move || email_error().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Email "{m}</span> })}
                </label>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Access"</span>
                    <select name="access_id" class=INPUT data-testid="invite-access">
                        {data.accesses.into_iter().map(|a| view! {
                            <option value=a.id selected=a.key == "sales_rep">{a.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class=BUTTON>"Send invitation"</button>
            </ActionForm>
            <p class="text-sm text-slate-600" data-testid="seats">
                {format!(
                    "{} of {} seats on the {} plan are taken by members and pending invitations.",
                    usage.seats_used, usage.seat_limit, usage.plan_name
                )}
            </p>
        </Panel>
    }
}

#[component]
fn Pending(
    company_id: i64,
    back: &'static str,
    data: TeamData,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let outcome: Outcome = revoke.value().into();
    view! {
        <Panel title="Pending invitations">
            <FormError outcome/>
            {if data.invitations.is_empty() {
                view! { <p class="text-sm text-slate-600">"No pending invitations."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100" data-testid="pending">
                        {data.invitations.into_iter().map(|i| {
                            let when = if i.expired { "expired on" } else { "expires" };
                            view! {
                                <li class="flex flex-wrap items-center gap-3 py-3" data-testid="invitation">
                                    <div class="min-w-0 flex-1">
                                        <p class="font-medium">{i.email.clone()}</p>
                                        <p class="text-sm text-slate-600">{format!("{} · {when} {}", i.access.name, on_day(i.expires_at))}</p>
                                    </div>
                                    <Confirm action=RevokeInvitation::PATH label="Revoke" question=format!("Revoke the invitation of {}? Its link stops working.", i.email)>
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="hidden" name="invitation_id" value=i.id/>
                                        <input type="hidden" name="back" value=back/>
                                    </Confirm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </Panel>
    }
}
