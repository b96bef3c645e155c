//! How much work waits in each queue, for the operator's metrics: imports and jobs
//! queued or under way, webhook deliveries still to make. No company's rows are
//! read, only counts over every company, along the queues' status indexes.

use crate::{Ctx, Result};

/// Each queue with the states it counts.
const COUNTED: [(&str, &str, &[&str]); 3] = [
    ("imports", "import_files", &["queued", "processing"]),
    ("jobs", "jobs", &["queued", "processing"]),
    ("webhook_deliveries", "webhook_deliveries", &["pending"]),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Depth {
    pub queue: &'static str,
    pub status: &'static str,
    pub count: i64,
}

/// Every queue's count in each of its states, zero included, so a gauge goes
/// back to zero once its queue empties.
#[tracing::instrument(skip(ctx))]
pub async fn depths(ctx: &Ctx) -> Result<Vec<Depth>> {
    let mut out = Vec::new();
    for (queue, table, states) in COUNTED {
        for status in states {
            let count: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE status = $1"))
                    .bind(status)
                    .fetch_one(&ctx.db.pool)
                    .await?;
            out.push(Depth {
                queue,
                status,
                count,
            });
        }
    }
    Ok(out)
}
