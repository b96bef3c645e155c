//! The page session: who is signed in, since when. The id is cycled at sign-in
//! (no fixation) and the whole session is deleted at sign-out.

use leadsy::{time::Timestamp, Actor, Error};
use tower_sessions::Session;

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";

/// The longest a sign-in lasts however active it is; provided as context by the server.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub absolute_secs: i64,
}

/// The signed-in user, or None; a session past its absolute lifetime is ended here.
pub async fn signed_in_user_within(session: &Session, absolute_secs: i64) -> Option<i64> {
    let user_id: i64 = session.get(USER_ID).await.ok().flatten()?;
    let since: i64 = session.get(SIGNED_IN_AT).await.ok().flatten()?;
    if Timestamp::now().0 - since > absolute_secs {
        let _ = session.flush().await;
        return None;
    }
    Some(user_id)
}

/// Like `signed_in_user_within`, with the limit the server provided (30 days if none).
pub async fn signed_in_user(session: &Session) -> Option<i64> {
    let limit = leptos::prelude::use_context::<SessionPolicy>()
        .map(|p| p.absolute_secs)
        .unwrap_or(30 * 24 * 3600);
    signed_in_user_within(session, limit).await
}

pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), Error> {
    session.cycle_id().await.map_err(Error::internal)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(Error::internal)?;
    session
        .insert(SIGNED_IN_AT, Timestamp::now().0)
        .await
        .map_err(Error::internal)
}

pub async fn sign_out(session: &Session) -> Result<(), Error> {
    session.flush().await.map_err(Error::internal)
}

/// The session of the current server-function or page request.
pub async fn current() -> Result<Session, Error> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| Error::internal(format!("no session layer: {e}")))
}

/// The actor of the current request: the signed-in user, else unauthorized.
pub async fn actor() -> Result<Actor, Error> {
    let session = current().await?;
    signed_in_user(&session)
        .await
        .map(|user_id| Actor::User { user_id })
        .ok_or_else(|| Error::Unauthorized("please log in".into()))
}

/// The domain context the server provided.
pub fn ctx() -> leadsy::Ctx {
    leptos::prelude::expect_context::<leadsy::Ctx>()
}

/// Sends a plain form post (the page before its WASM loaded) back to `path`. A call
/// from the hydrated page gets its answer as data and stays where it is.
pub fn back_after_form_post(path: &str) {
    let is_form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|req| {
        req.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if is_form_post {
        leptos_axum::redirect(path);
    }
}
