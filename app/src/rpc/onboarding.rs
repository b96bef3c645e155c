use crate::error::AppResult;
use leadsy::memberships::Membership;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Sends the browser to the first step not done yet (home once all are done).
#[cfg(feature = "ssr")]
pub(crate) async fn go_to_next_step(ctx: &leadsy::Ctx, actor: &leadsy::Actor) -> AppResult<()> {
    let progress = leadsy::onboarding::progress(ctx, actor).await?;
    leptos_axum::redirect(progress.step.path());
    Ok(())
}

#[server]
pub async fn save_profile(first_name: String, last_name: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::onboarding::Profile {
        first_name,
        last_name,
    };
    leadsy::onboarding::save_profile(&ctx, &actor, input).await?;
    go_to_next_step(&ctx, &actor).await
}

/// Avatar upload from a plain multipart form (works before the WASM has loaded).
#[server(input = MultipartFormData)]
pub async fn upload_avatar(data: MultipartData) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let (bytes, _) = crate::rpc::upload::read_form(data, ctx.settings.max_avatar_bytes).await?;
    leadsy::users::set_avatar(&ctx, &actor, actor.user_id()?, &bytes).await?;
    leptos_axum::redirect("/onboarding/profile");
    Ok(())
}

#[server]
pub async fn remove_avatar() -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::users::remove_avatar(&ctx, &actor, actor.user_id()?).await?;
    leptos_axum::redirect("/onboarding/profile");
    Ok(())
}

#[server]
pub async fn create_company(name: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::companies::create(&ctx, &actor, leadsy::companies::CreateCompany { name }).await?;
    go_to_next_step(&ctx, &actor).await
}

/// Signs the terms the user read; the box must be ticked.
#[server]
pub async fn sign_terms(legal_term_id: i64, agree: Option<String>) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    if agree.as_deref() != Some("on") {
        return Err(leadsy::Error::field("agree", "must be ticked to accept the terms").into());
    }
    let input = leadsy::onboarding::ApproveTerms { legal_term_id };
    leadsy::onboarding::approve_terms(&ctx, &actor, actor.user_id()?, input).await?;
    go_to_next_step(&ctx, &actor).await
}

#[server]
pub async fn plans() -> AppResult<Vec<Membership>> {
    Ok(leadsy::memberships::list(&crate::session::ctx()).await?)
}

#[server]
pub async fn choose_plan(company_id: i64, membership_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::memberships::AttachMembership { membership_id };
    leadsy::memberships::attach(&ctx, &me, input).await?;
    leptos_axum::redirect(leadsy::onboarding::Step::Team.path());
    Ok(())
}

#[server]
pub async fn finish_onboarding() -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::onboarding::FinishOnboarding {
        onboarding_completed: true,
    };
    leadsy::onboarding::finish(&ctx, &actor, actor.user_id()?, input).await?;
    leptos_axum::redirect("/");
    Ok(())
}
