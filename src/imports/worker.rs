//! The import worker: claims queued imports one at a time and writes them. Several
//! server instances may run one each; a claim is one atomic statement, and an
//! import whose worker stopped reporting is taken over by another.

use super::work::{self, Ended};
use crate::{db::Backend, stop, time::Timestamp, Ctx, Error, Result};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How many times in a row this worker resumes an import that broke off on our side
/// (the database went away, a deadlock) before it gives the import up as failed.
const ATTEMPTS: u32 = 3;

/// How often the worker looks for uploaded files past their retention.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// How long this worker leaves alone an import whose file it could not read.
const UNREADABLE_FOR: Duration = Duration::from_secs(30);

/// Runs until the process stops. `instance` names this worker in its claims.
pub async fn run(ctx: Ctx, instance: String) {
    // Embedded SQLite has no other server: what this one was importing when it
    // stopped is taken back at once instead of after the stale delay.
    if ctx.db.backend == Backend::Sqlite {
        if let Err(e) = release_all(&ctx).await {
            tracing::error!(error = %e, "could not release interrupted imports");
        }
    }
    let mut broken_off: HashMap<i64, u32> = HashMap::new();
    let mut last_sweep: Option<Instant> = None;
    let mut unreadable: HashMap<i64, Instant> = HashMap::new();
    while !ctx.stop.asked() {
        unreadable.retain(|_, at| at.elapsed() < UNREADABLE_FOR);
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            last_sweep = Some(Instant::now());
            match delete_old_files(&ctx).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(files = n, "old import files deleted"),
                Err(e) => tracing::warn!(error = %e, "could not delete old import files"),
            }
        }
        let passed: Vec<i64> = unreadable.keys().copied().collect();
        match claim(&ctx, &instance, &passed).await {
            Ok(Some(id)) => {
                tracing::info!(import = id, "import claimed");
                let outcome = work::process(&ctx, &instance, id).await;
                let tries = broken_off.entry(id).or_default();
                *tries += 1;
                match outcome {
                    Ok(Ended::Done) => tracing::info!(import = id, "import finished"),
                    Ok(Ended::TakenOver) => {
                        tracing::warn!(import = id, "import taken over by another worker")
                    }
                    Ok(Ended::Stopped) => {
                        stop::hand_back("import", id, requeue(&ctx, &instance, id).await);
                        break;
                    }
                    // The file is on another instance's disk, or the store (or the
                    // database) is away: handed back as it is, for another instance or
                    // a later look.
                    Ok(Ended::Unreadable) | Err(Error::Unavailable) => {
                        put_back(&ctx, &instance, id, "the import's file cannot be read now").await;
                        unreadable.insert(id, Instant::now());
                    }
                    // What is committed stays; the import goes back to the queue and
                    // resumes from its last batch.
                    Err(Error::Internal) if *tries < ATTEMPTS => {
                        put_back(&ctx, &instance, id, "import broke off; it will resume").await;
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        continue;
                    }
                    Err(e) => {
                        tracing::error!(import = id, error = %e, "import failed");
                        let _ = work::fail(&ctx, &instance, id, &e.to_string()).await;
                    }
                }
                broken_off.remove(&id);
            }
            Ok(None) => {
                // Uploads to this process wake it; other instances' are seen here.
                let queued = ctx.import_queued.notified();
                ctx.stop
                    .or_stop(tokio::time::timeout(Duration::from_millis(300), queued))
                    .await;
            }
            Err(e) => {
                tracing::error!(error = %e, "could not claim an import");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Takes an import whose worker has been silent for the configured stale delay,
/// or else the oldest waiting import of a company with none running, the company
/// whose last import started longest ago first, passing over the imports `passed`;
/// `None` when there is none. Two workers racing for one company's imports meet
/// the one-running index, and the loser finds nothing this time.
pub async fn claim(ctx: &Ctx, instance: &str, passed: &[i64]) -> Result<Option<i64>> {
    let now = Timestamp::now().0;
    let stale = now - ctx.settings.import_stale_secs;
    // Ids are numbers, written into the statement as such; a statement naming some
    // is not kept prepared, since the next look names others.
    let keep_prepared = passed.is_empty();
    let passed: String = passed
        .iter()
        .map(|id| format!(" AND f.id <> {id}"))
        .collect();
    let claimed = sqlx::query_scalar(&format!(
        "UPDATE import_files SET status = 'processing', claimed_by = $1, heartbeat_at = $2, \
         started_at = COALESCE(started_at, $2) WHERE id = (SELECT f.id FROM import_files f \
         WHERE ((f.status = 'processing' AND f.heartbeat_at < $3) \
            OR (f.status = 'queued' AND NOT EXISTS (SELECT 1 FROM import_files r \
                WHERE r.company_id = f.company_id AND r.status = 'processing'))) {} \
         ORDER BY CASE WHEN f.status = 'processing' THEN 0 ELSE 1 END, \
            COALESCE((SELECT MAX(s.started_at) FROM import_files s WHERE s.company_id = f.company_id), 0), \
            f.id \
         LIMIT 1 {}) RETURNING id",
        passed,
        ctx.db.skip_locked()
    ))
    .persistent(keep_prepared)
    .bind(instance)
    .bind(now)
    .bind(stale)
    .fetch_optional(&ctx.db.pool)
    .await;
    match claimed {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        other => Ok(other?),
    }
}

#[derive(sqlx::FromRow)]
struct StoredFile {
    id: i64,
    storage_key: String,
}

/// Deletes the uploaded files of imports that ended more than the retention ago;
/// their rows, counts and failed rows stay.
pub async fn delete_old_files(ctx: &Ctx) -> Result<u64> {
    let before = Timestamp::now().0 - ctx.settings.import_retention_secs;
    let old: Vec<StoredFile> = sqlx::query_as(
        "SELECT id, storage_key FROM import_files WHERE file_deleted_at IS NULL \
         AND finished_at IS NOT NULL AND finished_at < $1 ORDER BY finished_at LIMIT 1000",
    )
    .bind(before)
    .fetch_all(&ctx.db.pool)
    .await?;
    for file in &old {
        ctx.storage.delete(&file.storage_key).await?;
        sqlx::query("UPDATE import_files SET file_deleted_at = $1 WHERE id = $2")
            .bind(Timestamp::now().0)
            .bind(file.id)
            .execute(&ctx.db.pool)
            .await?;
    }
    Ok(old.len() as u64)
}

/// Hands an import back to the queue, saying why.
async fn put_back(ctx: &Ctx, instance: &str, import_id: i64, why: &str) {
    tracing::warn!(import = import_id, why, "import handed back");
    if let Err(e) = requeue(ctx, instance, import_id).await {
        tracing::error!(import = import_id, error = %e, "could not requeue the import");
    }
}

async fn requeue(ctx: &Ctx, instance: &str, import_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE import_files SET status = 'queued', claimed_by = NULL \
         WHERE id = $1 AND claimed_by = $2 AND status = 'processing'",
    )
    .bind(import_id)
    .bind(instance)
    .execute(&ctx.db.pool)
    .await?;
    Ok(())
}

async fn release_all(ctx: &Ctx) -> Result<()> {
    sqlx::query(
        "UPDATE import_files SET status = 'queued', claimed_by = NULL WHERE status = 'processing'",
    )
    .execute(&ctx.db.pool)
    .await?;
    Ok(())
}
