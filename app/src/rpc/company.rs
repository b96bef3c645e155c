//! The company settings' doors: who the caller is there, the profile and picture,
//! and the plan.

use crate::error::AppResult;
use leadsy::accesses::Role;
use leadsy::companies::{Company, Setup};
use leadsy::memberships::PlanUsage;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// The company as its settings pages show it, and the caller's role there, which
/// decides the forms they get.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub company: Company,
    pub role: Role,
}

impl Standing {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Managers and admins shape the sales process.
    pub fn manages(&self) -> bool {
        self.role.manages()
    }
}

#[server]
pub async fn getting_started(company_id: i64) -> AppResult<Setup> {
    let (me, ctx) = crate::session::member(company_id).await?;
    Ok(leadsy::companies::setup(&ctx, &me).await?)
}

#[server]
pub async fn my_standing(company_id: i64) -> AppResult<Standing> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(Standing {
        company: leadsy::companies::get(&ctx, &me).await?,
        role: me.role(),
    })
}

#[server]
pub async fn rename_company(company_id: i64, name: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::companies::UpdateCompany { name };
    leadsy::companies::update(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/company");
    Ok(())
}

/// The company's picture from a plain multipart form with `company_id` and `file`.
#[server(input = MultipartFormData)]
pub async fn upload_company_avatar(data: MultipartData) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let (bytes, fields) =
        crate::rpc::upload::read_form(data, ctx.settings.max_avatar_bytes).await?;
    let company_id = fields
        .get("company_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| leadsy::Error::not_found("company"))?;
    let me = leadsy::actor::Member::check(&ctx.db, &actor, company_id).await?;
    leadsy::companies::set_avatar(&ctx, &me, &bytes).await?;
    leptos_axum::redirect("/settings/company");
    Ok(())
}

#[server]
pub async fn remove_company_avatar(company_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::companies::remove_avatar(&ctx, &me).await?;
    session::back_after_form_post("/settings/company");
    Ok(())
}

#[server]
pub async fn company_usage(company_id: i64) -> AppResult<PlanUsage> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::memberships::usage(&ctx, &me).await?)
}

#[server]
pub async fn change_plan(company_id: i64, membership_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::memberships::AttachMembership { membership_id };
    leadsy::memberships::attach(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/plan");
    Ok(())
}

#[server]
pub async fn cancel_plan(company_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::memberships::cancel(&ctx, &me).await?;
    session::back_after_form_post("/settings/plan");
    Ok(())
}
