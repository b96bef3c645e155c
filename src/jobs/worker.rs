//! The job worker: claims queued jobs one at a time and runs them. Several server
//! instances may run one each; a job whose worker stopped reporting is taken over
//! by another and resumes from its last committed batch.

use super::queue::{self, Held};
use super::JobKind;
use crate::{leads, stop, time::Timestamp, Ctx, Error, Result};
use std::time::{Duration, Instant};

/// How a run of a held job ended, short of an error.
pub enum Ended {
    Done,
    /// Another worker claimed the job (this one was thought dead).
    TakenOver,
    /// The process is stopping: the batches done are committed, the rest waits.
    Stopped,
}

/// How many times in a row a job that broke off on our side resumes before it is
/// given up as failed.
const ATTEMPTS: u32 = 3;

const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Runs until the process stops. `instance` names this worker in its claims.
pub async fn run(ctx: Ctx, instance: String) {
    if let Err(e) = queue::release_all(&ctx).await {
        tracing::error!(error = %e, "could not release interrupted jobs");
    }
    let mut broken_off: Option<(i64, u32)> = None;
    let mut last_sweep: Option<Instant> = None;
    while !ctx.stop.asked() {
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            last_sweep = Some(Instant::now());
            if let Err(e) = delete_old_files(&ctx).await {
                tracing::warn!(error = %e, "could not delete old export files");
            }
        }
        match queue::claim(&ctx, &instance).await {
            Ok(Some(id)) => {
                let outcome = run_one(&ctx, &instance, id).await;
                let tries = match broken_off {
                    Some((job, n)) if job == id => n + 1,
                    _ => 1,
                };
                match outcome {
                    Ok(Ended::Done) => tracing::info!(job = id, "job finished"),
                    Ok(Ended::TakenOver) => {
                        tracing::warn!(job = id, "job taken over by another worker")
                    }
                    Ok(Ended::Stopped) => {
                        stop::hand_back("job", id, queue::requeue(&ctx, &instance, id).await);
                        break;
                    }
                    Err(Error::Internal) if tries < ATTEMPTS => {
                        tracing::warn!(job = id, "job broke off; it will resume");
                        broken_off = Some((id, tries));
                        if let Err(e) = queue::requeue(&ctx, &instance, id).await {
                            tracing::error!(job = id, error = %e, "could not requeue the job");
                        }
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        continue;
                    }
                    Err(e) => {
                        tracing::error!(job = id, error = %e, "job failed");
                        let _ = queue::fail(&ctx, &instance, id, &e.to_string()).await;
                    }
                }
                broken_off = None;
            }
            Ok(None) => {
                let queued = ctx.job_queued.notified();
                ctx.stop
                    .or_stop(tokio::time::timeout(Duration::from_millis(300), queued))
                    .await;
            }
            Err(e) => {
                tracing::error!(error = %e, "could not claim a job");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

#[tracing::instrument(
    name = "jobs::run",
    skip(ctx, instance),
    fields(company_id = tracing::field::Empty, user_id = tracing::field::Empty, key_id = tracing::field::Empty)
)]
async fn run_one(ctx: &Ctx, instance: &str, id: i64) -> Result<Ended> {
    let held = Held::take(ctx, instance, id).await?;
    let ended = match held.kind {
        JobKind::LeadsBulk => leads::bulk_change::resume(ctx, &held).await,
        JobKind::LeadsExport => leads::export_job::resume(ctx, &held).await,
    };
    match ended {
        // A refusal (the member lost the right, a reference went away) ends the job
        // with its reason; what was committed stays.
        Err(e) if !matches!(e, Error::Internal) => {
            let ended = held.finish(ctx, None, Some(&e.to_string())).await?;
            Ok(if ended { Ended::Done } else { Ended::TakenOver })
        }
        other => other,
    }
}

#[derive(sqlx::FromRow)]
struct StoredFile {
    id: i64,
    file_key: String,
}

/// Deletes the files of exports that ended more than the import retention ago.
async fn delete_old_files(ctx: &Ctx) -> Result<()> {
    let before = Timestamp::now().0 - ctx.settings.import_retention_secs;
    let old: Vec<StoredFile> = sqlx::query_as(
        "SELECT id, file_key FROM jobs WHERE file_key IS NOT NULL AND file_deleted_at IS NULL \
         AND finished_at < $1 ORDER BY finished_at LIMIT 1000",
    )
    .bind(before)
    .fetch_all(&ctx.db.pool)
    .await?;
    for f in &old {
        ctx.storage.delete(&f.file_key).await?;
        sqlx::query("UPDATE jobs SET file_deleted_at = $1 WHERE id = $2")
            .bind(Timestamp::now().0)
            .bind(f.id)
            .execute(&ctx.db.pool)
            .await?;
    }
    Ok(())
}
