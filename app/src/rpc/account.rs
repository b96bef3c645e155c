use crate::error::AppResult;
use leadsy::onboarding::Progress;
use leptos::prelude::*;

/// Where the signed-in user stands, or None for a visitor.
#[server]
pub async fn whoami() -> AppResult<Option<Progress>> {
    use crate::session;
    let ctx = session::ctx();
    let Some(actor) = session::signed_in().await? else {
        return Ok(None);
    };
    match leadsy::onboarding::progress(&ctx, &actor).await {
        Ok(p) => Ok(Some(p)),
        Err(leadsy::Error::NotFound(_)) => {
            session::sign_out(&session::current().await?).await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

#[server]
pub async fn sign_up(
    email: String,
    password: String,
    first_name: String,
    last_name: String,
    /// The browser's zone, filled in by the page's code; absent before it runs.
    #[server(default)]
    time_zone: String,
) -> AppResult<()> {
    use crate::session;
    let input = leadsy::users::SignUp {
        email,
        password,
        first_name,
        last_name,
        // The browser's guess: one the zone database does not know starts on UTC.
        time_zone: leadsy::zone::Zone::parse(&time_zone)
            .ok()
            .map(|z| z.as_str().to_string()),
    };
    let signed = leadsy::users::signup(&session::ctx(), input).await?;
    session::sign_in(&session::current().await?, signed.grant).await?;
    leptos_axum::redirect("/onboarding");
    Ok(())
}

/// Logs in and goes on: to `next` when it is a path of this site (the page that
/// sent the user to log in), else home or the wizard.
#[server]
pub async fn log_in(email: String, password: String, next: Option<String>) -> AppResult<()> {
    use crate::session;
    let signed =
        leadsy::users::login(&session::ctx(), leadsy::users::Login { email, password }).await?;
    session::sign_in(&session::current().await?, signed.grant).await?;
    let home = if signed.user.onboarding_completed {
        "/"
    } else {
        "/onboarding"
    };
    let next = next.filter(|n| crate::pages::account::is_local_path(n));
    leptos_axum::redirect(next.as_deref().unwrap_or(home));
    Ok(())
}

#[server]
pub async fn log_out() -> AppResult<()> {
    use crate::session;
    session::sign_out(&session::current().await?).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server]
pub async fn request_password_reset(email: String) -> AppResult<()> {
    use crate::session;
    leadsy::users::request_password_reset(&session::ctx(), &email).await?;
    leptos_axum::redirect("/password/forgot?sent=1");
    Ok(())
}

#[server]
pub async fn reset_password(token: String, password: String) -> AppResult<()> {
    use crate::session;
    let signed = leadsy::users::reset_password(&session::ctx(), &token, password).await?;
    session::sign_in(&session::current().await?, signed.grant).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Verifies the signed-in user's address with the mailed link's token; the page
/// then says so.
#[server]
pub async fn verify_email(token: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    leadsy::users::verify_own_email(&ctx, &actor, &token).await?;
    leptos_axum::redirect("/verify-email?verified=1");
    Ok(())
}

#[server]
pub async fn resend_verification() -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let me = actor.user_id()?;
    leadsy::users::resend_verification(&ctx, &actor, me).await?;
    session::back_after_form_post("/account?sent=1");
    Ok(())
}

#[server]
pub async fn change_email(email: String, current_password: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::users::UpdateUser {
        email: Some(email),
        current_password: Some(current_password),
        ..Default::default()
    };
    leadsy::users::update(&ctx, &actor, actor.user_id()?, input).await?;
    session::back_after_form_post("/account?email=1");
    Ok(())
}

#[server]
pub async fn change_time_zone(time_zone: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::users::UpdateUser {
        time_zone: Some(time_zone),
        ..Default::default()
    };
    leadsy::users::update(&ctx, &actor, actor.user_id()?, input).await?;
    session::back_after_form_post("/account?zone=1");
    Ok(())
}

/// Every zone the server knows, for the account page's menu.
#[server]
pub async fn time_zones() -> AppResult<Vec<String>> {
    Ok(leadsy::zone::Zone::all())
}

/// Changes the password; this session goes on under the new credentials, every
/// other one ends.
#[server]
pub async fn change_password(current_password: String, password: String) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let input = leadsy::users::ChangePassword {
        current_password,
        password,
    };
    let signed = leadsy::users::change_password(&ctx, &actor, actor.user_id()?, input).await?;
    session::sign_in(&session::current().await?, signed.grant).await?;
    session::back_after_form_post("/account?password=1");
    Ok(())
}
