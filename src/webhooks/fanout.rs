use crate::db::{Backend, Tx};
use crate::time::Timestamp;
use crate::Result;

/// Queues the events `ids` of `company_id`, just recorded in `tx`, for each
/// enabled endpoint that hears their kind: one statement whatever the batch, and
/// for a company without endpoints nothing beyond one index lookup.
pub(crate) async fn enqueue(tx: &mut Tx<'_>, company_id: i64, ids: &[i64]) -> Result<()> {
    let list = serde_json::Value::from(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>());
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at) \
         SELECT s.webhook_id, e.id, 'pending', 0, $3, $3 FROM events e \
         JOIN webhook_subscriptions s ON s.company_id = e.company_id AND s.kind = e.kind \
         JOIN webhooks w ON w.id = s.webhook_id AND w.enabled = 1 \
         WHERE e.company_id = $1 AND e.id IN (SELECT CAST(value AS BIGINT) FROM {}) \
         ON CONFLICT DO NOTHING",
        Backend::of(tx).json_strings("$2")
    ))
    .bind(company_id)
    .bind(list.to_string())
    .bind(Timestamp::now().0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
