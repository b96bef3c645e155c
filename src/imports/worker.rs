//! The import worker: claims queued imports one at a time and writes them. Several
//! server instances may run one each; a claim is one atomic statement, and an
//! import whose worker stopped reporting is taken over by another.

use super::work::{self, Ended};
use crate::{db::Backend, time::Timestamp, Ctx, Error, Result};
use std::collections::HashMap;
use std::time::Duration;

/// How many times in a row this worker resumes an import that broke off on our side
/// (the database went away, a deadlock) before it gives the import up as failed.
const ATTEMPTS: u32 = 3;

/// Runs for the life of the server. `instance` names this worker in its claims.
pub async fn run(ctx: Ctx, instance: String) {
    // Embedded SQLite has no other server: what this one was importing when it
    // stopped is taken back at once instead of after the stale delay.
    if ctx.db.backend == Backend::Sqlite {
        if let Err(e) = release_all(&ctx).await {
            tracing::error!(error = %e, "could not release interrupted imports");
        }
    }
    let mut broken_off: HashMap<i64, u32> = HashMap::new();
    loop {
        match claim(&ctx, &instance).await {
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
                    // What is committed stays; the import goes back to the queue and
                    // resumes from its last batch.
                    Err(Error::Internal) if *tries < ATTEMPTS => {
                        tracing::warn!(import = id, "import broke off; it will resume");
                        if let Err(e) = requeue(&ctx, &instance, id).await {
                            tracing::error!(import = id, error = %e, "could not requeue the import");
                        }
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
                let _ =
                    tokio::time::timeout(Duration::from_millis(300), ctx.import_queued.notified())
                        .await;
            }
            Err(e) => {
                tracing::error!(error = %e, "could not claim an import");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Takes the oldest import waiting, or one whose worker has been silent for the
/// configured stale delay; `None` when there is none.
pub async fn claim(ctx: &Ctx, instance: &str) -> Result<Option<i64>> {
    let now = Timestamp::now().0;
    let stale = now - ctx.settings.import_stale_secs;
    Ok(sqlx::query_scalar(&format!(
        "UPDATE import_files SET status = 'processing', claimed_by = $1, heartbeat_at = $2, \
         started_at = COALESCE(started_at, $2) WHERE id = (SELECT id FROM import_files \
         WHERE status = 'queued' OR (status = 'processing' AND heartbeat_at < $3) \
         ORDER BY id LIMIT 1 {}) RETURNING id",
        ctx.db.skip_locked()
    ))
    .bind(instance)
    .bind(now)
    .bind(stale)
    .fetch_optional(&ctx.db.pool)
    .await?)
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
