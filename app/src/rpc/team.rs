//! The team's doors: members and their access, and invitations.

use crate::error::AppResult;
use leadsy::accesses::Access;
use leadsy::companies::CompanyUser;
use leadsy::invitations::Invitation;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The members, the accesses one can hold, and (for admins) pending invitations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamData {
    pub members: Vec<CompanyUser>,
    pub accesses: Vec<Access>,
    pub invitations: Vec<Invitation>,
}

#[server]
pub async fn team(company_id: i64) -> AppResult<TeamData> {
    use crate::session;
    use leadsy::paging::Page;
    let (actor, ctx) = session::caller().await?;
    let me = leadsy::actor::Member::check(&ctx.db, &actor, company_id).await?;
    // Only admins see invitations; the domain says who, the page shows none to others.
    let invitations = match leadsy::invitations::list(&ctx, &me, Page::first_full()).await {
        Ok((list, _)) => list,
        Err(leadsy::Error::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(TeamData {
        members: leadsy::companies::users(&ctx, &me, Page::first_full())
            .await?
            .0,
        accesses: leadsy::accesses::list(&ctx, &actor).await?,
        invitations,
    })
}

#[server]
pub async fn change_access(user_id: i64, user_access_id: i64, access_id: i64) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::accesses::UpdateUserAccess { access_id };
    leadsy::accesses::update_for_user(&ctx, &actor, user_id, user_access_id, input).await?;
    session::back_after_form_post("/settings/team");
    Ok(())
}

#[server]
pub async fn remove_member(user_id: i64, user_access_id: i64) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::accesses::delete_for_user(&ctx, &actor, user_id, user_access_id).await?;
    session::back_after_form_post("/settings/team");
    Ok(())
}

/// Invites by email; `back` is the page a plain form post returns to (the team
/// settings or the wizard's team step).
#[server]
pub async fn invite(company_id: i64, email: String, access_id: i64, back: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::invitations::CreateInvitation { email, access_id };
    leadsy::invitations::create(&ctx, &me, input).await?;
    session::back_after_form_post(safe_back(&back));
    Ok(())
}

#[server]
pub async fn revoke_invitation(company_id: i64, invitation_id: i64, back: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::invitations::revoke(&ctx, &me, invitation_id).await?;
    session::back_after_form_post(safe_back(&back));
    Ok(())
}

/// Only our own pages: a posted `back` never redirects off site.
#[cfg(feature = "ssr")]
fn safe_back(back: &str) -> &str {
    match back {
        "/onboarding/team" => back,
        _ => "/settings/invitations",
    }
}
