//! The invitation link's page and the wizard's offer to join instead of creating.

use crate::error::AppResult;
use leadsy::invitations::{Invitation, InvitationPreview};
use leptos::prelude::*;

/// What the link offers; no login needed.
#[server]
pub async fn invitation_offer(code: String) -> AppResult<InvitationPreview> {
    Ok(leadsy::invitations::by_code(&crate::session::ctx(), &code).await?)
}

#[server]
pub async fn my_invitations() -> AppResult<Vec<Invitation>> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    Ok(leadsy::invitations::pending_for_me(&ctx, &actor).await?)
}

/// Joins the company, then goes on with the wizard (or home once it is done).
#[server]
pub async fn accept_invitation(code: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::invitations::accept(&ctx, &actor, &code).await?;
    crate::rpc::onboarding::go_to_next_step(&ctx, &actor).await
}

/// Joins a company whose invitation the wizard offered to the caller's verified email.
#[server]
pub async fn accept_offered_invitation(invitation_id: i64) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::invitations::accept_offered(&ctx, &actor, invitation_id).await?;
    crate::rpc::onboarding::go_to_next_step(&ctx, &actor).await
}
