//! Watching a job and downloading what it made. A job is seen by the company's
//! managers and by the member who started it; to anyone else it does not exist.

use super::{Job, JobKind};
use crate::actor::Member;
use crate::storage::Download;
use crate::{time::Timestamp, Ctx, Error, Result};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    company_id: i64,
    kind: String,
    status: String,
    total: Option<i64>,
    processed: i64,
    changed: i64,
    failure: Option<String>,
    file_key: Option<String>,
    file_deleted_at: Option<i64>,
    spec: String,
    user_access_id: i64,
    created_at: i64,
    finished_at: Option<i64>,
}

const SELECT: &str = "SELECT id, company_id, kind, status, total, processed, changed, failure, \
    file_key, file_deleted_at, spec, user_access_id, created_at, finished_at FROM jobs";

impl Row {
    fn into_job(self) -> Result<Job> {
        let kind = JobKind::from_key(&self.kind)
            .ok_or_else(|| Error::internal(format!("unknown job kind {}", self.kind)))?;
        let file_url = (self.file_key.is_some() && self.file_deleted_at.is_none()).then(|| {
            format!(
                "/api/v1/companies/{}/jobs/{}/file",
                self.company_id, self.id
            )
        });
        Ok(Job {
            id: self.id,
            company_id: self.company_id,
            kind,
            status: self.status,
            total: self.total,
            processed: self.processed,
            changed: self.changed,
            failure: self.failure,
            file_url,
            created_at: Timestamp(self.created_at),
            finished_at: self.finished_at.map(Timestamp),
        })
    }
}

async fn row(ctx: &Ctx, me: &Member, job_id: i64) -> Result<Row> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
        .bind(job_id)
        .bind(me.company_id())
        .fetch_optional(&ctx.db.pool)
        .await?;
    row.filter(|r| me.manages() || r.user_access_id == me.user_access_id())
        .ok_or_else(|| Error::not_found("job"))
}

/// A job's progress.
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn get(ctx: &Ctx, me: &Member, job_id: i64) -> Result<Job> {
    row(ctx, me, job_id).await?.into_job()
}

pub(crate) async fn fetch(ctx: &Ctx, company_id: i64, job_id: i64) -> Result<Job> {
    let row: Row = sqlx::query_as(&format!("{SELECT} WHERE id = $1 AND company_id = $2"))
        .bind(job_id)
        .bind(company_id)
        .fetch_one(&ctx.db.pool)
        .await?;
    row.into_job()
}

/// The file a completed export made, as it streams from storage, with the name it
/// downloads under. Kept for the import files' retention, then gone.
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn file(ctx: &Ctx, me: &Member, job_id: i64) -> Result<(String, Download)> {
    let row = row(ctx, me, job_id).await?;
    if !crate::leads::export_job::may_download(&row.spec, me) {
        return Err(Error::not_found("file"));
    }
    let key = match (&row.file_key, row.file_deleted_at) {
        (Some(key), None) => key.clone(),
        (Some(_), Some(_)) => {
            return Err(Error::rule(
                "FILE_EXPIRED",
                "this export's file has been deleted: export the leads again",
            ))
        }
        (None, _) => return Err(Error::not_found("file")),
    };
    let name = format!("leads-{}.csv", row.id);
    Ok((name, ctx.storage.download(&key).await?))
}
