use super::Setup;
use crate::actor::Member;
use crate::{Ctx, Result};

#[derive(sqlx::FromRow)]
struct SetupRow {
    sources: bool,
    imported: bool,
    team: bool,
    questions: bool,
}

/// One round trip of existence checks: the landing page asks at every login, and
/// counting a company's leads or members there would grow with the company.
#[tracing::instrument(name = "companies::setup", skip_all, fields(company_id = me.company_id()))]
pub async fn setup(ctx: &Ctx, me: &Member) -> Result<Setup> {
    let row: SetupRow = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM sources WHERE company_id = $1) AS sources, \
         EXISTS (SELECT 1 FROM import_files WHERE company_id = $1) AS imported, \
         (EXISTS (SELECT 1 FROM user_accesses WHERE company_id = $1 AND user_id <> $2) \
          OR EXISTS (SELECT 1 FROM invitations WHERE company_id = $1 AND status = 'pending')) AS team, \
         EXISTS (SELECT 1 FROM questions WHERE company_id = $1) AS questions",
    )
    .bind(me.company_id())
    .bind(me.user_id())
    .fetch_one(&ctx.db.pool)
    .await?;
    Ok(Setup {
        sources: row.sources,
        imported: row.imported,
        team: row.team,
        questions: row.questions,
    })
}
