use super::{
    parse_options, parse_text, CreateQuestion, Question, QuestionOrder, UpdateQuestion, KINDS,
};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::priority::{self, Ordered};
use crate::{time::Timestamp, Ctx, Error, Result};

pub(crate) const SELECT: &str =
    "SELECT id, company_id, campaign_id, text, kind, options, priority FROM questions";

pub(crate) type Row = (i64, i64, Option<i64>, String, String, String, i64);

pub(crate) fn into_question(
    (id, company_id, campaign_id, text, kind, options, priority): Row,
) -> Question {
    Question {
        id,
        company_id,
        campaign_id,
        text,
        kind,
        options: serde_json::from_str(&options).unwrap_or_default(),
        priority,
    }
}

/// Adds a question last in the company's order (managers).
pub async fn create(ctx: &Ctx, me: &Member, input: CreateQuestion) -> Result<Question> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut check = Check::default();
    let text = check.take("text", parse_text(&input.text));
    if !KINDS.contains(&input.kind.as_str()) {
        check.add(
            "kind",
            "must be text, number, single_choice or multi_choice",
        );
    }
    let options = check.take("options", parse_options(&input.kind, &input.options));
    check_campaign(ctx, me, input.campaign_id, &mut check).await;
    check.finish()?;
    let now = Timestamp::now().0;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questions (company_id, campaign_id, text, kind, options, priority, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(priority), 0) + 1 FROM questions WHERE company_id = $1), $6, $6) \
         RETURNING id",
    )
    .bind(company_id)
    .bind(input.campaign_id)
    .bind(text)
    .bind(&input.kind)
    .bind(serde_json::to_string(&options.unwrap_or_default()).map_err(Error::internal)?)
    .bind(now)
    .fetch_one(&ctx.db.pool)
    .await?;
    fetch(ctx, company_id, id).await
}

/// A question may belong to one of the company's own campaigns only.
async fn check_campaign(ctx: &Ctx, me: &Member, campaign_id: Option<i64>, check: &mut Check) {
    if let Some(id) = campaign_id {
        if crate::campaigns::get(ctx, me, id).await.is_err() {
            check.add("campaign_id", "is not a campaign of this company");
        }
    }
}

/// Every question of the company, first asked first.
pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<Question>> {
    let company_id = me.company_id();
    all(ctx, company_id).await
}

/// The same for a caller that has checked access already (an import's worker).
pub(crate) async fn all(ctx: &Ctx, company_id: i64) -> Result<Vec<Question>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE company_id = $1 ORDER BY priority, id"
    ))
    .bind(company_id)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(into_question).collect())
}

pub async fn get(ctx: &Ctx, me: &Member, question_id: i64) -> Result<Question> {
    let company_id = me.company_id();
    fetch(ctx, company_id, question_id).await
}

/// Rewords a question, or changes its options or its campaign (managers). Its
/// kind stays: the answers already given were checked against it.
#[tracing::instrument(skip(ctx, me, input), fields(company_id = me.company_id()))]
pub async fn update(
    ctx: &Ctx,
    me: &Member,
    question_id: i64,
    input: UpdateQuestion,
) -> Result<Question> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let current = fetch(ctx, company_id, question_id).await?;
    let mut check = Check::default();
    let text = check.take("text", parse_text(&input.text));
    let options = check.take("options", parse_options(&current.kind, &input.options));
    check_campaign(ctx, me, input.campaign_id, &mut check).await;
    check.finish()?;
    sqlx::query(
        "UPDATE questions SET text = $1, options = $2, campaign_id = $3, updated_at = $4 \
         WHERE id = $5 AND company_id = $6",
    )
    .bind(text)
    .bind(serde_json::to_string(&options.unwrap_or_default()).map_err(Error::internal)?)
    .bind(input.campaign_id)
    .bind(Timestamp::now().0)
    .bind(question_id)
    .bind(company_id)
    .execute(&ctx.db.pool)
    .await?;
    fetch(ctx, company_id, question_id).await
}

/// Deletes a question (managers) and closes the gap in the order.
pub async fn delete(ctx: &Ctx, me: &Member, question_id: i64) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut tx = ctx.db.begin().await?;
    let gone = sqlx::query("DELETE FROM questions WHERE id = $1 AND company_id = $2")
        .bind(question_id)
        .bind(company_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(Error::not_found("question"));
    }
    priority::close_gaps(&mut tx, Ordered::Questions, company_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the whole order (managers); anything but every question once changes nothing.
pub async fn reorder(ctx: &Ctx, me: &Member, input: QuestionOrder) -> Result<Vec<Question>> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut tx = ctx.db.begin().await?;
    priority::set(
        &mut tx,
        Ordered::Questions,
        company_id,
        "question_ids",
        &input.question_ids,
    )
    .await?;
    tx.commit().await?;
    list(ctx, me).await
}

pub(crate) async fn fetch(ctx: &Ctx, company_id: i64, question_id: i64) -> Result<Question> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
        .bind(question_id)
        .bind(company_id)
        .fetch_optional(&ctx.db.pool)
        .await?;
    row.map(into_question)
        .ok_or_else(|| Error::not_found("question"))
}
