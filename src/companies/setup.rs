use super::Setup;
use crate::actor::Member;
use crate::{Ctx, Result};

/// 1 or 0 for each step: the Any driver reads SQLite's truth values as integers
/// and PostgreSQL's as booleans, so both are made integers.
#[derive(sqlx::FromRow)]
struct SetupRow {
    sources: i64,
    imported: i64,
    team: i64,
    questions: i64,
}

fn exists(query: &str) -> String {
    format!("CAST(CASE WHEN EXISTS ({query}) THEN 1 ELSE 0 END AS BIGINT)")
}

/// One round trip of existence checks: the landing page asks at every login, and
/// counting a company's leads or members there would grow with the company.
#[tracing::instrument(name = "companies::setup", skip_all, fields(company_id = me.company_id()))]
pub async fn setup(ctx: &Ctx, me: &Member) -> Result<Setup> {
    let sql = format!(
        "SELECT {} AS sources, {} AS imported, {} AS team, {} AS questions",
        exists("SELECT 1 FROM sources WHERE company_id = $1"),
        exists("SELECT 1 FROM import_files WHERE company_id = $1"),
        exists(
            "SELECT 1 FROM user_accesses WHERE company_id = $1 AND user_id <> $2 \
             UNION ALL SELECT 1 FROM invitations WHERE company_id = $1 AND status = 'pending'"
        ),
        exists("SELECT 1 FROM questions WHERE company_id = $1"),
    );
    let row: SetupRow = sqlx::query_as(&sql)
        .bind(me.company_id())
        .bind(me.user_id())
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(Setup {
        sources: row.sources == 1,
        imported: row.imported == 1,
        team: row.team == 1,
        questions: row.questions == 1,
    })
}
