//! `/api/v1/companies/{company_id}/questions` and a campaign's questions: thin
//! doors to `leadsy::questions`.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Id};
use crate::{auth::actor::ApiMember, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use leadsy::questions::{
    self, BulkOptions, CreateQuestion, Question, QuestionOrder, UpdateQuestion,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_question, list_questions))
        .routes(routes!(reorder_questions))
        .routes(routes!(get_question, update_question, delete_question))
        .routes(routes!(campaign_questions))
        .routes(routes!(set_campaign_options))
}

#[derive(Serialize, ToSchema)]
pub struct QuestionBody {
    pub question: Question,
}

super::list_body!(QuestionsBody, questions, Question);

/// Create a question (managers); it goes last in the order.
#[utoipa::path(post, path = "/companies/{company_id}/questions", tag = "Questions",
    params(("company_id" = i64, Path)), request_body = CreateQuestion, security(("jwt" = [])),
    responses(
        (status = 201, description = "Created", body = QuestionBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn create_question(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<CreateQuestion>,
) -> ApiResult<(StatusCode, Json<QuestionBody>)> {
    let question = questions::create(&s.ctx, &me, input).await?;
    Ok((StatusCode::CREATED, Json(QuestionBody { question })))
}

/// The company's questions in priority order.
#[utoipa::path(get, path = "/companies/{company_id}/questions", tag = "Questions",
    params(("company_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "Questions, first asked first", body = QuestionsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_questions(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<Json<QuestionsBody>> {
    let questions = questions::list(&s.ctx, &me).await?;
    Ok(Json(questions.into()))
}

/// Set the whole priority order (managers): every question id once, first asked first.
#[utoipa::path(put, path = "/companies/{company_id}/questions/priority", tag = "Questions",
    params(("company_id" = i64, Path)), request_body = QuestionOrder, security(("jwt" = [])),
    responses(
        (status = 200, description = "Questions in the new order", body = QuestionsBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 422, description = "Not exactly the company's questions", body = ErrorBody)))]
pub async fn reorder_questions(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiJson(input): ApiJson<QuestionOrder>,
) -> ApiResult<Json<QuestionsBody>> {
    let questions = questions::reorder(&s.ctx, &me, input).await?;
    Ok(Json(questions.into()))
}

/// One question.
#[utoipa::path(get, path = "/companies/{company_id}/questions/{question_id}", tag = "Questions",
    params(("company_id" = i64, Path), ("question_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The question", body = QuestionBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_question(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, question_id)): Id<(i64, i64)>,
) -> ApiResult<Json<QuestionBody>> {
    let question = questions::get(&s.ctx, &me, question_id).await?;
    Ok(Json(QuestionBody { question }))
}

/// Edit a question's text, options or campaign (managers); its kind stays.
#[utoipa::path(put, path = "/companies/{company_id}/questions/{question_id}", tag = "Questions",
    params(("company_id" = i64, Path), ("question_id" = i64, Path)), request_body = UpdateQuestion,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The question as saved", body = QuestionBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody)))]
pub async fn update_question(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, question_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<UpdateQuestion>,
) -> ApiResult<Json<QuestionBody>> {
    let question = questions::update(&s.ctx, &me, question_id, input).await?;
    Ok(Json(QuestionBody { question }))
}

/// Delete a question (managers).
#[utoipa::path(delete, path = "/companies/{company_id}/questions/{question_id}", tag = "Questions",
    params(("company_id" = i64, Path), ("question_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn delete_question(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, question_id)): Id<(i64, i64)>,
) -> ApiResult<StatusCode> {
    questions::delete(&s.ctx, &me, question_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A campaign's questions, in the company's order.
#[utoipa::path(get, path = "/companies/{company_id}/campaigns/{campaign_id}/questions", tag = "Questions",
    params(("company_id" = i64, Path), ("campaign_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The campaign's questions", body = QuestionsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn campaign_questions(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, campaign_id)): Id<(i64, i64)>,
) -> ApiResult<Json<QuestionsBody>> {
    let questions = questions::for_campaign(&s.ctx, &me, campaign_id).await?;
    Ok(Json(questions.into()))
}

/// Replace the options of several of a campaign's choice questions, all or nothing (managers).
#[utoipa::path(put, path = "/companies/{company_id}/campaigns/{campaign_id}/questions/options", tag = "Questions",
    params(("company_id" = i64, Path), ("campaign_id" = i64, Path)), request_body = BulkOptions,
    security(("jwt" = [])),
    responses(
        (status = 200, description = "The campaign's questions", body = QuestionsBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Invalid entries; nothing was written", body = ErrorBody)))]
pub async fn set_campaign_options(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, campaign_id)): Id<(i64, i64)>,
    ApiJson(input): ApiJson<BulkOptions>,
) -> ApiResult<Json<QuestionsBody>> {
    let questions = questions::set_options(&s.ctx, &me, campaign_id, input).await?;
    Ok(Json(questions.into()))
}
