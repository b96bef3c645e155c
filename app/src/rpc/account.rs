use crate::error::AppResult;
use leadsy::onboarding::Progress;
use leptos::prelude::*;

/// Where the signed-in user stands, or None for a visitor.
#[server]
pub async fn whoami() -> AppResult<Option<Progress>> {
    use crate::session;
    let s = session::current().await?;
    let Some(user_id) = session::signed_in_user(&s).await else {
        return Ok(None);
    };
    let actor = leadsy::Actor::User { user_id };
    match leadsy::onboarding::progress(&session::ctx(), &actor).await {
        Ok(p) => Ok(Some(p)),
        Err(leadsy::Error::NotFound(_)) => {
            session::sign_out(&s).await?;
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
) -> AppResult<()> {
    use crate::session;
    let input = leadsy::users::SignUp {
        email,
        password,
        first_name,
        last_name,
    };
    let user = leadsy::users::signup(&session::ctx(), input).await?;
    session::sign_in(&session::current().await?, user.id).await?;
    leptos_axum::redirect("/onboarding");
    Ok(())
}

#[server]
pub async fn log_in(email: String, password: String) -> AppResult<()> {
    use crate::session;
    let user =
        leadsy::users::login(&session::ctx(), leadsy::users::Login { email, password }).await?;
    session::sign_in(&session::current().await?, user.id).await?;
    leptos_axum::redirect(if user.onboarding_completed {
        "/"
    } else {
        "/onboarding"
    });
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
    let user = leadsy::users::reset_password(&session::ctx(), &token, password).await?;
    session::sign_in(&session::current().await?, user.id).await?;
    leptos_axum::redirect("/");
    Ok(())
}
