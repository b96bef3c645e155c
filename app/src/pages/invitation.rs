//! `/invitations/:code`, the mailed link: who invites whom as what, and the way in.
//! A used, revoked or expired code says so instead.

use crate::components::form::{FormError, Submit};
use crate::components::frame::{Card, Frame};
use crate::rpc::account::whoami;
use crate::rpc::invitations::{invitation_offer, AcceptInvitation};
use leadsy::invitations::InvitationPreview;
use leadsy::onboarding::Progress;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let preview = Resource::new(code, invitation_offer);
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| view! { <p class="p-8 text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (invitation, me) = (preview.await, me.await.ok().flatten());
                let user = me.as_ref().map(|p| p.user.clone());
                let body = match invitation {
                    Err(_) => view! {
                        <Card title="Invitation not found".into()>
                            <p class="text-slate-700" data-testid="invitation-state">
                                "This link does not match any invitation. Check that it was copied whole, or ask for a new one."
                            </p>
                        </Card>
                    }
                    .into_any(),
                    Ok(i) => view! { <Offer invitation=i me/> }.into_any(),
                };
                match user {
                    Some(u) => view! { <Frame user=u>{body}</Frame> }.into_any(),
                    None => view! { <Frame>{body}</Frame> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Offer(invitation: InvitationPreview, me: Option<Progress>) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let outcome = accept.value().into();
    let title = format!("Join {} on Leadsy", invitation.company_name);
    let subtitle = format!(
        "{} is invited as {}.",
        invitation.email, invitation.access.name
    );
    let state = match (invitation.status.as_str(), invitation.expired) {
        ("accepted", _) => Some("This invitation was already used. If it was you, log in to open the company."),
        ("revoked", _) => Some("This invitation was revoked by the company. Ask them for a new one if you still need it."),
        (_, true) => Some("This invitation has expired. Ask the company to send a new one."),
        _ => None,
    };
    let action = match (state, me) {
        (Some(message), _) => view! { <p class="text-slate-700" data-testid="invitation-state">{message}</p> }.into_any(),
        (None, Some(p)) if p.user.email == invitation.email => view! {
            <FormError outcome/>
            <ActionForm action=accept>
                <input type="hidden" name="code" value=invitation.code.clone()/>
                <Submit label="Accept and join"/>
            </ActionForm>
        }
        .into_any(),
        (None, Some(p)) => view! {
            <p class="text-slate-700" data-testid="invitation-state">
                {format!(
                    "You are logged in as {}. This invitation is for {}: log out, then sign up or log in with that email.",
                    p.user.email, invitation.email
                )}
            </p>
        }
        .into_any(),
        (None, None) => view! {
            <p class="mb-4 text-slate-700" data-testid="invitation-state">
                {format!("Sign up or log in with {} and the invitation waits for you in the setup.", invitation.email)}
            </p>
            <div class="flex gap-3">
                <a href="/signup" class="flex-1 rounded-md bg-indigo-600 px-4 py-2 text-center font-medium text-white hover:bg-indigo-700">"Sign up"</a>
                <a href="/login" class="flex-1 rounded-md border border-slate-300 px-4 py-2 text-center font-medium text-slate-700 hover:bg-slate-50">"Log in"</a>
            </div>
        }
        .into_any(),
    };
    view! { <Card title subtitle>{action}</Card> }
}
