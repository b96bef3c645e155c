//! Many leads in one statement, for writers that have already checked, routed and
//! tagged them (the operator's demo data, an import's batch). No actor: the caller
//! has checked access.

use super::LeadFields;
use crate::{db::Tx, time::Timestamp, Result};

/// A checked lead with everything decided: stage, source, campaign, cycle, assignee.
pub struct PlacedLead {
    pub fields: LeadFields,
    pub stage_id: i64,
    pub source_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub cycle_id: Option<i64>,
    pub assigned_user_access_id: Option<i64>,
    /// JSON keyed by question id (`{}` for none).
    pub answers: String,
    pub created_at: Timestamp,
}

const COLUMNS: usize = 19;

/// Inserts `leads` into `company_id` with one multi-row insert inside `tx`. Keep a
/// batch to a few hundred rows: SQLite allows 32,766 bound values per statement.
pub async fn insert_placed(tx: &mut Tx<'_>, company_id: i64, leads: &[PlacedLead]) -> Result<()> {
    if leads.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO leads (company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at) VALUES ",
    );
    for i in 0..leads.len() {
        let marks: Vec<String> = (1..=COLUMNS)
            .map(|c| format!("${}", i * COLUMNS + c))
            .collect();
        sql.push_str(if i == 0 { "(" } else { ", (" });
        sql.push_str(&marks.join(", "));
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for l in leads {
        let f = &l.fields;
        q = q
            .bind(company_id)
            .bind(f.first_name.clone())
            .bind(f.last_name.clone())
            .bind(f.company_name.clone())
            .bind(f.email.clone())
            .bind(f.phone.clone())
            .bind(f.postal_code.clone())
            .bind(f.email_key())
            .bind(f.phone_key())
            .bind(f.search_text())
            .bind(l.stage_id)
            .bind(l.source_id)
            .bind(l.campaign_id)
            .bind(l.cycle_id)
            .bind(l.assigned_user_access_id)
            .bind(f.value_cents)
            .bind(l.answers.clone())
            .bind(l.created_at.0)
            .bind(l.created_at.0);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
