use super::ops::{into_question, Row, SELECT};
use super::{parse_options, BulkOptions, Question};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::{campaigns, time::Timestamp, Ctx, Error, Result};

/// The questions of one campaign, in the company's order.
pub async fn for_campaign(ctx: &Ctx, me: &Member, campaign_id: i64) -> Result<Vec<Question>> {
    let company_id = me.company_id();
    campaigns::get(ctx, me, campaign_id).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE company_id = $1 AND campaign_id = $2 ORDER BY priority, id"
    ))
    .bind(company_id)
    .bind(campaign_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(into_question).collect())
}

/// Replaces the options of several of a campaign's choice questions at once
/// (managers): every entry is checked first, then all are written or none.
pub async fn set_options(
    ctx: &Ctx,
    me: &Member,
    campaign_id: i64,
    input: BulkOptions,
) -> Result<Vec<Question>> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let questions = for_campaign(ctx, me, campaign_id).await?;
    let mut check = Check::default();
    if input.questions.is_empty() {
        check.add("questions", "must hold at least one question");
    }
    let mut writes = Vec::new();
    for (i, entry) in input.questions.iter().enumerate() {
        let field = format!("questions[{i}].options");
        match questions.iter().find(|q| q.id == entry.id) {
            None => check.add(
                &format!("questions[{i}].id"),
                "is not a question of this campaign",
            ),
            Some(q) if !q.kind.ends_with("_choice") => {
                check.add(&field, "only choice questions have options")
            }
            Some(q) => {
                if let Some(options) = check.take(&field, parse_options(&q.kind, &entry.options)) {
                    writes.push((q.id, options));
                }
            }
        }
    }
    check.finish()?;
    let now = Timestamp::now().0;
    let mut tx = ctx.db.begin().await?;
    for (id, options) in writes {
        sqlx::query(
            "UPDATE questions SET options = $1, updated_at = $2 WHERE id = $3 AND company_id = $4",
        )
        .bind(serde_json::to_string(&options).map_err(Error::internal)?)
        .bind(now)
        .bind(id)
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    for_campaign(ctx, me, campaign_id).await
}
