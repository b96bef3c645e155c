use super::{
    parse_options, parse_text, CreateQuestion, Question, QuestionOrder, UpdateQuestion, KINDS,
};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
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
    let mut tx = ctx.db.begin().await?;
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
    .fetch_one(&mut *tx)
    .await?;
    let question = fetch_on(&mut tx, company_id, id).await?;
    let event = NewEvent::about(Kind::QuestionCreated, Some(id), &question);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(question)
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
    all_on(&mut *ctx.db.pool.acquire().await?, company_id).await
}

/// The questions as `conn` (a transaction's, for an event) sees them.
async fn all_on(conn: &mut sqlx::AnyConnection, company_id: i64) -> Result<Vec<Question>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE company_id = $1 ORDER BY priority, id"
    ))
    .bind(company_id)
    .fetch_all(conn)
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
    let mut tx = ctx.db.begin().await?;
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
    .execute(&mut *tx)
    .await?;
    let question = fetch_on(&mut tx, company_id, question_id).await?;
    let event = NewEvent::updated(
        Kind::QuestionUpdated,
        Some(question_id),
        &current,
        &question,
    );
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(question)
}

/// Deletes a question (managers) and closes the gap in the order.
pub async fn delete(ctx: &Ctx, me: &Member, question_id: i64) -> Result<()> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    let mut tx = ctx.db.begin().await?;
    let question = fetch_on(&mut tx, company_id, question_id).await?;
    sqlx::query("DELETE FROM questions WHERE id = $1 AND company_id = $2")
        .bind(question_id)
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
    priority::close_gaps(&mut tx, Ordered::Questions, company_id).await?;
    let event = NewEvent::about(Kind::QuestionDeleted, Some(question_id), &question);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
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
    let questions = all_on(&mut tx, company_id).await?;
    let order = serde_json::json!({ "questions": questions });
    let event = NewEvent::about(Kind::QuestionsReordered, None, &order);
    events::record(&mut tx, company_id, &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(questions)
}

pub(crate) async fn fetch(ctx: &Ctx, company_id: i64, question_id: i64) -> Result<Question> {
    fetch_on(&mut *ctx.db.pool.acquire().await?, company_id, question_id).await
}

/// The question as `conn` (a transaction's, for an event) sees it.
async fn fetch_on(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    question_id: i64,
) -> Result<Question> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
        .bind(question_id)
        .bind(company_id)
        .fetch_optional(conn)
        .await?;
    row.map(into_question)
        .ok_or_else(|| Error::not_found("question"))
}
