//! `/api/v1/companies/{company_id}/imports`: thin doors to `leadsy::imports`. The
//! upload streams into storage (its size is checked as it arrives) and answers 202;
//! the worker writes the rows in the background.

use super::error::{ApiResult, ErrorBody};
use super::extract::{file_field, form_ends, malformed, ApiQuery, Id};
use super::users::Paging;
use crate::{auth::actor::ApiMember, state::AppState};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use leadsy::imports::{self, ImportFile, Upload};
use leadsy::paging::Meta;
use leadsy::Error;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_import, list_imports))
        .routes(routes!(import_template))
        .routes(routes!(get_import))
        .routes(routes!(failed_rows))
        // The configured import limit applies while the file streams in.
        .layer(DefaultBodyLimit::disable())
}

#[derive(Serialize, ToSchema)]
pub struct ImportBody {
    pub import_file: ImportFile,
}

#[derive(Serialize, ToSchema)]
pub struct ImportsBody {
    pub import_files: Vec<ImportFile>,
    pub meta: Meta,
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvUpload {
    /// The CSV file: UTF-8 with or without BOM, comma or semicolon separated, a header row first.
    #[schema(format = Binary, content_media_type = "text/csv")]
    pub file: String,
}

/// Upload a CSV of leads (managers); 202 at once, the rows are written in the background.
#[utoipa::path(post, path = "/companies/{company_id}/imports", tag = "Imports",
    params(("company_id" = i64, Path)),
    request_body(content = CsvUpload, content_type = "multipart/form-data"), security(("jwt" = [])),
    responses(
        (status = 202, description = "Queued; poll the import for its progress", body = ImportBody),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "Not a manager of the company", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody),
        (status = 413, description = "Over the configured size limit", body = ErrorBody),
        (status = 422, description = "Not a CSV file, or no lead columns in its header", body = ErrorBody)))]
pub async fn upload_import(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    mut multipart: Multipart,
) -> ApiResult<(StatusCode, Json<ImportBody>)> {
    let mut field = file_field(&mut multipart).await?;
    let name = field.file_name().unwrap_or("import.csv").to_string();
    let mut upload = Upload::begin(&s.ctx, &me, &name).await?;
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        upload.push(&chunk).await?;
    }
    drop(field);
    form_ends(&mut multipart).await?;
    let import_file = upload.finish().await?;
    Ok((StatusCode::ACCEPTED, Json(ImportBody { import_file })))
}

/// The company's imports, newest first (without their row errors).
#[utoipa::path(get, path = "/companies/{company_id}/imports", tag = "Imports",
    params(("company_id" = i64, Path), Paging), security(("jwt" = [])),
    responses(
        (status = 200, description = "A page of imports", body = ImportsBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn list_imports(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<ImportsBody>> {
    let (import_files, meta) = imports::list(&s.ctx, &me, p.page()).await?;
    Ok(Json(ImportsBody { import_files, meta }))
}

/// The template: the header row to fill in a spreadsheet.
#[utoipa::path(get, path = "/companies/{company_id}/imports/template", tag = "Imports",
    params(("company_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The header row", content_type = "text/csv", body = String),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not one of the caller's companies", body = ErrorBody)))]
pub async fn import_template(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
) -> ApiResult<impl IntoResponse> {
    let csv = imports::template(&s.ctx, &me).await?;
    Ok(csv_file("leadsy-import-template.csv", csv.into_bytes()))
}

/// One import: its status, counts and (for managers and admins) first failed rows;
/// a sales rep gets the counts with `errors` empty.
#[utoipa::path(get, path = "/companies/{company_id}/imports/{import_id}", tag = "Imports",
    params(("company_id" = i64, Path), ("import_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The import", body = ImportBody),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn get_import(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, import_id)): Id<(i64, i64)>,
) -> ApiResult<Json<ImportBody>> {
    let import_file = imports::get(&s.ctx, &me, import_id).await?;
    Ok(Json(ImportBody { import_file }))
}

/// Every failed row as the file had it, after its row number and reason; cells a
/// spreadsheet would run as formulas are neutralized. Managers and admins only:
/// the rows are leads that may be no rep's own.
#[utoipa::path(get, path = "/companies/{company_id}/imports/{import_id}/failed_rows", tag = "Imports",
    params(("company_id" = i64, Path), ("import_id" = i64, Path)), security(("jwt" = [])),
    responses(
        (status = 200, description = "The failed rows", content_type = "text/csv", body = String),
        (status = 401, description = "No or bad credentials", body = ErrorBody),
        (status = 403, description = "A sales rep", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody)))]
pub async fn failed_rows(
    State(s): State<AppState>,
    ApiMember(me): ApiMember,
    Id((_company, import_id)): Id<(i64, i64)>,
) -> ApiResult<impl IntoResponse> {
    let rows = imports::failed_rows(&s.ctx, &me, import_id).await?;
    let pages = futures_util::stream::try_unfold(rows, |mut rows| async move {
        Ok::<_, Error>(rows.next_chunk().await?.map(|chunk| (chunk, rows)))
    });
    Ok(csv_file(
        &format!("import-{import_id}-failed-rows.csv"),
        Body::from_stream(pages),
    ))
}

pub(super) fn csv_file(name: &str, body: impl Into<Body>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
}
