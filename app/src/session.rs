//! The page session: who is signed in, since when, under which credentials
//! version. The id is cycled at sign-in (no fixation) and the whole session is
//! deleted at sign-out; a password reset or change elsewhere ends it.

use leadsy::{actor::Grant, time::Timestamp, Actor, Error};
use tower_sessions::Session;

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";
const VERSION: &str = "credentials_version";

/// The longest a sign-in lasts however active it is; provided as context by the server.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub absolute_secs: i64,
}

/// The actor of a session still in force, or None: a session past its absolute
/// lifetime, or whose grant a password reset or change ended, is ended here.
pub async fn signed_in_within(
    ctx: &leadsy::Ctx,
    session: &Session,
    absolute_secs: i64,
) -> Option<Actor> {
    let user_id: i64 = session.get(USER_ID).await.ok().flatten()?;
    let since: i64 = session.get(SIGNED_IN_AT).await.ok().flatten()?;
    let version: i64 = session.get(VERSION).await.ok().flatten().unwrap_or(0);
    if Timestamp::now().0 - since > absolute_secs {
        let _ = session.flush().await;
        return None;
    }
    match (Grant { user_id, version }).actor(ctx).await {
        Ok(actor) => Some(actor),
        Err(Error::Unauthorized(_)) => {
            let _ = session.flush().await;
            None
        }
        // The database did not answer: not a reason to end the sign-in.
        Err(_) => None,
    }
}

/// The signed-in actor of the current request, or None. Rendering without a
/// request (generating the route list) has no server context: an error, not a panic.
pub async fn signed_in() -> Result<Option<Actor>, Error> {
    let ctx = leptos::prelude::use_context::<leadsy::Ctx>()
        .ok_or_else(|| Error::internal("no server context: not serving a request"))?;
    let limit = leptos::prelude::use_context::<SessionPolicy>()
        .map(|p| p.absolute_secs)
        .unwrap_or(30 * 24 * 3600);
    let session = current().await?;
    Ok(signed_in_within(&ctx, &session, limit).await)
}

pub async fn sign_in(session: &Session, grant: Grant) -> Result<(), Error> {
    session.cycle_id().await.map_err(Error::internal)?;
    session
        .insert(USER_ID, grant.user_id)
        .await
        .map_err(Error::internal)?;
    session
        .insert(VERSION, grant.version)
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

/// The actor of the current request (the signed-in user, else unauthorized) and
/// the domain context. The context is taken before anything is awaited: a server
/// function called while a page renders can lose its owner's context across an
/// await.
pub async fn caller() -> Result<(Actor, leadsy::Ctx), Error> {
    let ctx = ctx();
    let actor = signed_in()
        .await?
        .ok_or_else(|| Error::Unauthorized("please log in".into()))?;
    Ok((actor, ctx))
}

/// The caller as a member of `company_id` (the proof a company operation takes),
/// and the domain context; not a member is "not found".
pub async fn member(company_id: i64) -> Result<(leadsy::actor::Member, leadsy::Ctx), Error> {
    let (actor, ctx) = caller().await?;
    let me = leadsy::actor::Member::check(&ctx.db, &actor, company_id).await?;
    Ok((me, ctx))
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
