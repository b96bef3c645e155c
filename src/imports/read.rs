//! Reading imports: the history (newest first), one import's progress, and the
//! failed rows as a CSV to fix and upload again.

use super::format::neutralize;
use super::{ImportFile, RowError, ERRORS_SHOWN};
use crate::actor::{Member, Role};
use crate::paging::{Meta, Page};
use crate::{time::Timestamp, Ctx, Error, Result};

const SELECT: &str =
    "SELECT id, company_id, filename, status, total_rows, processed_rows, imported_rows, \
    duplicate_rows, failed_rows, notes, failure, created_at, finished_at FROM import_files";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    company_id: i64,
    filename: String,
    status: String,
    total_rows: Option<i64>,
    processed_rows: i64,
    imported_rows: i64,
    duplicate_rows: i64,
    failed_rows: i64,
    notes: String,
    failure: Option<String>,
    created_at: i64,
    finished_at: Option<i64>,
}

impl Row {
    fn into_import(self, errors: Vec<RowError>) -> ImportFile {
        ImportFile {
            id: self.id,
            company_id: self.company_id,
            filename: self.filename,
            status: self.status,
            total_rows: self.total_rows,
            processed_rows: self.processed_rows,
            imported_rows: self.imported_rows,
            duplicate_rows: self.duplicate_rows,
            failed_rows: self.failed_rows,
            errors,
            notes: serde_json::from_str(&self.notes).unwrap_or_default(),
            failure: self.failure,
            created_at: Timestamp(self.created_at),
            finished_at: self.finished_at.map(Timestamp),
        }
    }
}

/// The company's imports, newest first; the list leaves each one's errors out.
pub async fn list(ctx: &Ctx, me: &Member, page: Page) -> Result<(Vec<ImportFile>, Meta)> {
    let company_id = me.company_id();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM import_files WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE company_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(&ctx.db.pool)
    .await?;
    let imports = rows
        .into_iter()
        .map(|r| r.into_import(Vec::new()))
        .collect();
    Ok((imports, page.meta(total)))
}

/// One import's progress. Its per-row errors quote the file's cells, leads that
/// may be no rep's own, so only managers and admins see them.
pub async fn get(ctx: &Ctx, me: &Member, import_id: i64) -> Result<ImportFile> {
    let company_id = me.company_id();
    let mut import = fetch(ctx, company_id, import_id).await?;
    if me.role() < Role::Manager {
        import.errors.clear();
    }
    Ok(import)
}

pub(crate) async fn fetch(ctx: &Ctx, company_id: i64, import_id: i64) -> Result<ImportFile> {
    fetch_on(&mut *ctx.db.pool.acquire().await?, company_id, import_id).await
}

/// The import as `conn` (a transaction's, for an event) sees it.
pub(crate) async fn fetch_on(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    import_id: i64,
) -> Result<ImportFile> {
    let row: Row = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
        .bind(import_id)
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found("import"))?;
    let errors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT row_number, message FROM import_errors WHERE import_file_id = $1 ORDER BY row_number LIMIT $2",
    )
    .bind(import_id)
    .bind(ERRORS_SHOWN)
    .fetch_all(&mut *conn)
    .await?;
    let errors = errors
        .into_iter()
        .map(|(row, message)| RowError { row, message })
        .collect();
    Ok(row.into_import(errors))
}

/// Every failed row as the file had it (managers and admins), with its row number and reason first, a
/// page at a time: a download holds one page in memory whatever the file's size.
/// Cells a spreadsheet would run as formulas are neutralized.
pub struct FailedRows {
    ctx: Ctx,
    import_id: i64,
    header: Option<Vec<String>>,
    after: Option<i64>,
}

const FAILED_ROWS_PAGE: i64 = 5000;

pub async fn failed_rows(ctx: &Ctx, me: &Member, import_id: i64) -> Result<FailedRows> {
    let company_id = me.company_id();
    me.require(Role::Manager)?;
    fetch(ctx, company_id, import_id).await?;
    let header: String = sqlx::query_scalar("SELECT header FROM import_files WHERE id = $1")
        .bind(import_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(FailedRows {
        ctx: ctx.clone(),
        import_id,
        header: Some(serde_json::from_str(&header).unwrap_or_default()),
        after: Some(0),
    })
}

impl FailedRows {
    /// The CSV's next bytes: the header row first, then a page of rows; `None` at
    /// the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        let mut out = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        if let Some(header) = self.header.take() {
            let names = ["row".to_string(), "reason".to_string()]
                .into_iter()
                .chain(header.iter().map(|c| neutralize(c)));
            out.write_record(names).map_err(Error::internal)?;
            return out.into_inner().map(Some).map_err(Error::internal);
        }
        let Some(after) = self.after else {
            return Ok(None);
        };
        let page: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT row_number, message, cells FROM import_errors WHERE import_file_id = $1 \
             AND row_number > $2 ORDER BY row_number LIMIT $3",
        )
        .bind(self.import_id)
        .bind(after)
        .bind(FAILED_ROWS_PAGE)
        .fetch_all(&self.ctx.db.pool)
        .await?;
        self.after = match page.last() {
            Some(last) if page.len() as i64 == FAILED_ROWS_PAGE => Some(last.0),
            _ => None,
        };
        if page.is_empty() {
            return Ok(None);
        }
        for (row, message, cells) in page {
            let cells: Vec<String> = serde_json::from_str(&cells).unwrap_or_default();
            let record = [row.to_string(), neutralize(&message)]
                .into_iter()
                .chain(cells.iter().map(|c| neutralize(c)));
            out.write_record(record).map_err(Error::internal)?;
        }
        out.into_inner().map(Some).map_err(Error::internal)
    }
}
