//! Starting a job, claiming one, and holding it: every write a worker makes to a
//! job names the worker, so one thought dead and taken over writes nothing more.

use super::{Job, JobKind};
use crate::actor::Member;
use crate::db::{Backend, Tx};
use crate::events::By;
use crate::time::Timestamp;
use crate::{Ctx, Error, Result};

/// Jobs one member may have queued or running at once: each holds a worker.
const MAX_UNFINISHED: i64 = 3;

/// Queues a job for `me` and wakes this process's worker. A member with
/// `MAX_UNFINISHED` jobs still to end is refused another, in the same statement
/// that would add it.
pub(crate) async fn start(
    ctx: &Ctx,
    me: &Member,
    kind: JobKind,
    spec: &impl serde::Serialize,
    total: i64,
) -> Result<Job> {
    let spec = serde_json::to_string(spec).map_err(Error::internal)?;
    let actor = serde_json::to_string(&me.by(ctx)).map_err(Error::internal)?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (company_id, kind, status, spec, user_access_id, key_id, actor, total, created_at) \
         SELECT $1, $2, 'queued', $3, $4, $5, $6, $7, $8 WHERE (SELECT COUNT(*) FROM jobs \
           WHERE company_id = $1 AND user_access_id = $4 AND status IN ('queued', 'processing')) < $9 \
         RETURNING id",
    )
    .bind(me.company_id())
    .bind(kind.key())
    .bind(spec)
    .bind(me.user_access_id())
    .bind(me.key_id())
    .bind(actor)
    .bind(total)
    .bind(Timestamp::now().0)
    .bind(MAX_UNFINISHED)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some(id) = id else {
        return Err(Error::conflict(
            "TOO_MANY_JOBS",
            &format!("you have {MAX_UNFINISHED} jobs still running: wait for one to finish"),
        ));
    };
    ctx.job_queued.notify_one();
    super::read::fetch(ctx, me.company_id(), id).await
}

/// Takes a job whose worker has been silent for the stale delay, or else a queued
/// one: of the company whose last job started longest ago, so that one company's
/// jobs do not hold up everyone else's; `None` when there is none.
pub(crate) async fn claim(ctx: &Ctx, instance: &str) -> Result<Option<i64>> {
    let now = Timestamp::now().0;
    let stale = now - ctx.settings.import_stale_secs;
    Ok(sqlx::query_scalar(&format!(
        "UPDATE jobs SET status = 'processing', claimed_by = $1, heartbeat_at = $2, \
         started_at = COALESCE(started_at, $2) WHERE id = (SELECT j.id FROM jobs j \
         WHERE j.status = 'queued' OR (j.status = 'processing' AND j.heartbeat_at < $3) \
         ORDER BY CASE WHEN j.status = 'processing' THEN 0 ELSE 1 END, \
            COALESCE((SELECT MAX(s.started_at) FROM jobs s WHERE s.company_id = j.company_id), 0), \
            j.id \
         LIMIT 1 {}) RETURNING id",
        ctx.db.skip_locked()
    ))
    .bind(instance)
    .bind(now)
    .bind(stale)
    .fetch_optional(&ctx.db.pool)
    .await?)
}

/// A job this worker has claimed, with what it needs to go on: who started it,
/// who its events name, and where it stopped.
pub struct Held {
    pub id: i64,
    pub kind: JobKind,
    pub spec: String,
    pub by: By,
    /// The last lead done, `(created_at, id)`.
    pub resume_after: (i64, i64),
    company_id: i64,
    user_access_id: i64,
    key_id: Option<i64>,
    instance: String,
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    company_id: i64,
    kind: String,
    spec: String,
    user_access_id: i64,
    key_id: Option<i64>,
    actor: String,
    resume_at: i64,
    resume_after: i64,
}

impl Held {
    /// Reads the claimed job `id`.
    pub(crate) async fn take(ctx: &Ctx, instance: &str, id: i64) -> Result<Held> {
        let row: HeldRow = sqlx::query_as(
            "SELECT company_id, kind, spec, user_access_id, key_id, actor, resume_at, resume_after \
             FROM jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&ctx.db.pool)
        .await?;
        let kind = JobKind::from_key(&row.kind)
            .ok_or_else(|| Error::internal(format!("unknown job kind {}", row.kind)))?;
        let by: By = serde_json::from_str(&row.actor).map_err(Error::internal)?;
        Ok(Held {
            id,
            kind,
            spec: row.spec,
            by,
            resume_after: (row.resume_at, row.resume_after),
            company_id: row.company_id,
            user_access_id: row.user_access_id,
            key_id: row.key_id,
            instance: instance.to_string(),
        })
    }

    /// The member the job acts for, as their membership stands now: a job goes
    /// on only while its starter still could start it.
    pub(crate) async fn member(&self, ctx: &Ctx) -> Result<Member> {
        Member::resume(&ctx.db, self.company_id, self.user_access_id, self.key_id).await
    }

    pub fn company_id(&self) -> i64 {
        self.company_id
    }

    /// Claims the next batch inside `tx`: its first statement, so that on SQLite
    /// the transaction writes from the start. False when another worker holds the
    /// job now (then the caller writes nothing).
    pub(crate) async fn still_mine(&self, tx: &mut Tx<'_>) -> Result<bool> {
        let held = sqlx::query(
            "UPDATE jobs SET heartbeat_at = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'processing'",
        )
        .bind(Timestamp::now().0)
        .bind(self.id)
        .bind(&self.instance)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        Ok(held == 1)
    }

    /// Moves the job past a batch, inside the batch's transaction.
    pub(crate) async fn advance(
        &self,
        tx: &mut Tx<'_>,
        processed: i64,
        changed: i64,
        (at, after): (i64, i64),
    ) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET processed = processed + $1, changed = changed + $2, resume_at = $3, \
             resume_after = $4 WHERE id = $5 AND claimed_by = $6",
        )
        .bind(processed)
        .bind(changed)
        .bind(at)
        .bind(after)
        .bind(self.id)
        .bind(&self.instance)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Reports progress outside a transaction (an export's rows written so far);
    /// false when another worker holds the job now.
    pub(crate) async fn report(&self, ctx: &Ctx, processed: i64) -> Result<bool> {
        let held = sqlx::query(
            "UPDATE jobs SET processed = $1, changed = $1, heartbeat_at = $2 \
             WHERE id = $3 AND claimed_by = $4 AND status = 'processing'",
        )
        .bind(processed)
        .bind(Timestamp::now().0)
        .bind(self.id)
        .bind(&self.instance)
        .execute(&ctx.db.pool)
        .await?
        .rows_affected();
        Ok(held == 1)
    }

    /// Ends the job, completed (with an export's file) or failed with a reason;
    /// false when another worker holds it.
    pub(crate) async fn finish(
        &self,
        ctx: &Ctx,
        file_key: Option<&str>,
        failure: Option<&str>,
    ) -> Result<bool> {
        let ended = sqlx::query(
            "UPDATE jobs SET status = $1, failure = $2, file_key = $3, finished_at = $4, claimed_by = NULL \
             WHERE id = $5 AND claimed_by = $6",
        )
        .bind(if failure.is_some() {
            "failed"
        } else {
            "completed"
        })
        .bind(failure)
        .bind(file_key)
        .bind(Timestamp::now().0)
        .bind(self.id)
        .bind(&self.instance)
        .execute(&ctx.db.pool)
        .await?
        .rows_affected();
        Ok(ended == 1)
    }
}

/// Ends a job that could not even be read (its starter has left): failed.
pub(crate) async fn fail(ctx: &Ctx, instance: &str, id: i64, why: &str) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'failed', failure = $1, finished_at = $2, claimed_by = NULL \
         WHERE id = $3 AND claimed_by = $4",
    )
    .bind(why)
    .bind(Timestamp::now().0)
    .bind(id)
    .bind(instance)
    .execute(&ctx.db.pool)
    .await?;
    Ok(())
}

/// Puts a job this worker broke off back in the queue; it resumes where it stopped.
pub(crate) async fn requeue(ctx: &Ctx, instance: &str, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'queued', claimed_by = NULL \
         WHERE id = $1 AND claimed_by = $2 AND status = 'processing'",
    )
    .bind(id)
    .bind(instance)
    .execute(&ctx.db.pool)
    .await?;
    Ok(())
}

/// On embedded SQLite no other server runs: what this one was doing when it
/// stopped is taken back at once instead of after the stale delay.
pub(crate) async fn release_all(ctx: &Ctx) -> Result<()> {
    if ctx.db.backend == Backend::Sqlite {
        sqlx::query(
            "UPDATE jobs SET status = 'queued', claimed_by = NULL WHERE status = 'processing'",
        )
        .execute(&ctx.db.pool)
        .await?;
    }
    Ok(())
}
