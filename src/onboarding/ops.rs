use super::{ApproveTerms, FinishOnboarding, Profile, Progress, Step, TermsStatus, UserOnboarding};
use crate::users::{self, parse_name, User};
use crate::{
    companies, error::Check, legal, paging::Page, time::Timestamp, Actor, Ctx, Error, Result,
};

pub async fn status(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<UserOnboarding> {
    own(ctx, actor, user_id).await?;
    onboarding_of(ctx, user_id).await
}

/// Signs a terms version. Only the current one can be signed: signing an outdated
/// version would not let the user go on.
pub async fn approve_terms(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    input: ApproveTerms,
) -> Result<UserOnboarding> {
    own(ctx, actor, user_id).await?;
    let current = legal::current(ctx).await?;
    if input.legal_term_id != current.id {
        legal::get(ctx, input.legal_term_id)
            .await
            .map_err(|_| Error::field("legal_term_id", "is not a published terms version"))?;
        return Err(Error::field(
            "legal_term_id",
            &format!("is not the current version ({})", current.version),
        ));
    }
    sqlx::query(
        "INSERT INTO term_signatures (user_id, legal_term_id, signed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(current.id)
    .bind(Timestamp::now().0)
    .execute(&ctx.db.pool)
    .await?;
    onboarding_of(ctx, user_id).await
}

/// Marks onboarding done; refused while the current terms are unsigned.
pub async fn finish(
    ctx: &Ctx,
    actor: &Actor,
    user_id: i64,
    input: FinishOnboarding,
) -> Result<UserOnboarding> {
    own(ctx, actor, user_id).await?;
    if !input.onboarding_completed {
        return Err(Error::field("onboarding_completed", "must be true"));
    }
    let state = onboarding_of(ctx, user_id).await?;
    if !(state.terms_and_conditions.signed && state.terms_and_conditions.latest_version) {
        return Err(Error::rule(
            "TERMS_NOT_SIGNED",
            "the current terms of service must be signed before onboarding can be completed",
        ));
    }
    sqlx::query(
        "UPDATE users SET onboarding_completed_at = COALESCE(onboarding_completed_at, $1), updated_at = $1 WHERE id = $2",
    )
    .bind(Timestamp::now().0)
    .bind(user_id)
    .execute(&ctx.db.pool)
    .await?;
    onboarding_of(ctx, user_id).await
}

/// The wizard's profile step: names are required here, and saving marks the step done.
pub async fn save_profile(ctx: &Ctx, actor: &Actor, input: Profile) -> Result<User> {
    let user_id = actor.user_id()?;
    let mut check = Check::default();
    let first = check.take("first_name", parse_name(&input.first_name, true));
    let last = check.take("last_name", parse_name(&input.last_name, true));
    check.finish()?;
    let now = Timestamp::now().0;
    sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, profile_completed_at = COALESCE(profile_completed_at, $3), \
         updated_at = $3 WHERE id = $4",
    )
    .bind(first)
    .bind(last)
    .bind(now)
    .bind(user_id)
    .execute(&ctx.db.pool)
    .await?;
    users::get(ctx, actor, user_id).await
}

pub async fn progress(ctx: &Ctx, actor: &Actor) -> Result<Progress> {
    let user_id = actor.user_id()?;
    let user = users::get(ctx, actor, user_id).await?;
    let profile_done: Option<i64> =
        sqlx::query_scalar("SELECT profile_completed_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&ctx.db.pool)
            .await?;
    let (companies, _) = companies::list(ctx, actor, Page::default()).await?;
    let company = companies.into_iter().next();
    let company_admin = match &company {
        Some(c) => crate::actor::Member::check(&ctx.db, actor, c.id)
            .await?
            .require(crate::actor::Role::Admin)
            .is_ok(),
        None => false,
    };
    let current_terms = legal::current(ctx).await?;
    let terms_signed = signed_at(ctx, user_id, current_terms.id).await?.is_some();
    let plan_needed = company_admin && company.as_ref().is_some_and(|c| c.membership.is_none());
    let step = if profile_done.is_none() && !user.onboarding_completed {
        Step::Profile
    } else if company.is_none() && !user.onboarding_completed {
        Step::Company
    } else if !terms_signed {
        Step::Terms
    } else if plan_needed && !user.onboarding_completed {
        Step::Plan
    } else if !user.onboarding_completed {
        Step::Finish
    } else {
        Step::Done
    };
    Ok(Progress {
        user,
        company,
        company_admin,
        current_terms,
        terms_signed,
        step,
    })
}

async fn own(ctx: &Ctx, actor: &Actor, user_id: i64) -> Result<()> {
    if actor.user_id()? != user_id {
        users::visible_user(ctx, actor, user_id).await?;
        return Err(Error::Forbidden(
            "you can only change your own onboarding".into(),
        ));
    }
    Ok(())
}

async fn signed_at(ctx: &Ctx, user_id: i64, legal_term_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT signed_at FROM term_signatures WHERE user_id = $1 AND legal_term_id = $2",
    )
    .bind(user_id)
    .bind(legal_term_id)
    .fetch_optional(&ctx.db.pool)
    .await?)
}

/// Reports the newest terms the user signed, or the current ones when none is signed.
async fn onboarding_of(ctx: &Ctx, user_id: i64) -> Result<UserOnboarding> {
    let completed_at: Option<i64> =
        sqlx::query_scalar("SELECT onboarding_completed_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&ctx.db.pool)
            .await?;
    let current = legal::current(ctx).await?;
    let last_signed: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.version, s.signed_at FROM term_signatures s JOIN legal_terms t ON t.id = s.legal_term_id \
         WHERE s.user_id = $1 ORDER BY t.published_at DESC, t.id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let terms = match last_signed {
        Some((id, version, at)) => TermsStatus {
            id,
            version,
            signed: true,
            signed_at: Some(Timestamp(at)),
            latest_version: id == current.id,
        },
        None => TermsStatus {
            id: current.id,
            version: current.version,
            signed: false,
            signed_at: None,
            latest_version: true,
        },
    };
    Ok(UserOnboarding {
        id: user_id,
        onboarding_completed: completed_at.is_some(),
        onboarding_completed_at: completed_at.map(Timestamp),
        terms_and_conditions: terms,
    })
}
