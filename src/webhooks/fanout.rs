use crate::db::{sql, Conn};
use crate::time::Timestamp;
use crate::Result;

/// Queues the events `ids` of one `kind`, just recorded in `tx`, for each enabled
/// endpoint of `company_id` that hears it: one statement whatever the batch,
/// driven by the subscriptions' index, so that a company without endpoints pays
/// one index lookup and the events table is never scanned.
pub(crate) async fn enqueue(
    db: &mut impl Conn,
    company_id: i64,
    kind: &str,
    ids: &[i64],
) -> Result<()> {
    let list = serde_json::Value::from(ids.iter().map(|id| id.to_string()).collect::<Vec<_>>());
    let q = sql(format!(
        "INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at, created_at) \
         SELECT s.webhook_id, CAST(keys.value AS BIGINT), 'pending', 0, $4, $4 FROM webhook_subscriptions s \
         JOIN webhooks w ON w.id = s.webhook_id AND w.enabled = 1 \
         CROSS JOIN {} WHERE s.company_id = $1 AND s.kind = $2 \
         ON CONFLICT DO NOTHING",
        db.backend().json_strings("$3")
    ));
    db.execute(
        q.bind(company_id)
            .bind(kind)
            .bind(list.to_string())
            .bind(Timestamp::now().0),
    )
    .await?;
    Ok(())
}
