//! A lead may only point at its own company's stage, source, campaign and members:
//! an id from elsewhere is refused as if it did not exist.

use crate::actor::Member;
use crate::error::Check;
use crate::{db::Db, Result};

/// The ids a create or an update wants to set; `None` leaves one unchecked.
#[derive(Default)]
pub(crate) struct References {
    pub stage_id: Option<i64>,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
}

impl References {
    pub async fn check(&self, db: &Db, me: &Member, check: &mut Check) -> Result<()> {
        let company_id = me.company_id();
        if let Some(id) = self.stage_id {
            let stage: Option<i64> = sqlx::query_scalar("SELECT id FROM stages WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?;
            if stage.is_none() {
                check.add("stage_id", "is not a stage");
            }
        }
        if let Some(id) = self.source_id {
            if !exists(
                db,
                "SELECT COUNT(*) FROM sources WHERE id = $1 AND company_id = $2",
                id,
                company_id,
            )
            .await?
            {
                check.add("source_id", "is not a source of this company");
            }
        }
        if let Some(id) = self.campaign_id {
            if !exists(
                db,
                "SELECT COUNT(*) FROM campaigns WHERE id = $1 AND company_id = $2",
                id,
                company_id,
            )
            .await?
            {
                check.add("campaign_id", "is not a campaign of this company");
            }
        }
        if let Some(id) = self.assigned_user_access_id {
            if !me.sees_lead(Some(id)) {
                check.add(
                    "assigned_user_access_id",
                    "a sales rep can only assign leads to themselves",
                );
            } else if !exists(
                db,
                "SELECT COUNT(*) FROM user_accesses WHERE id = $1 AND company_id = $2",
                id,
                company_id,
            )
            .await?
            {
                check.add("assigned_user_access_id", "is not a member of this company");
            }
        }
        Ok(())
    }
}

async fn exists(db: &Db, sql: &str, id: i64, company_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(sql)
        .bind(id)
        .bind(company_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}
