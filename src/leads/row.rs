//! How a lead row is read: the columns every lead query selects, names joined in.

use super::Lead;
use crate::time::Timestamp;

pub const SELECT: &str = "SELECT l.id, l.company_id, l.first_name, l.last_name, l.company_name, \
    l.email, l.phone, l.postal_code, l.stage_id, l.source_id, l.campaign_id, l.cycle_id, \
    l.assigned_user_access_id, l.value_cents, l.answers, l.created_at, l.updated_at, l.version, \
    s.name AS source_name, c.name AS campaign_name, u.first_name AS a_first, u.last_name AS a_last \
    FROM leads l LEFT JOIN sources s ON s.id = l.source_id \
    LEFT JOIN campaigns c ON c.id = l.campaign_id \
    LEFT JOIN user_accesses ua ON ua.id = l.assigned_user_access_id \
    LEFT JOIN users u ON u.id = ua.user_id";

/// How a lead shows the member it is assigned to.
pub fn assignee_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

#[derive(sqlx::FromRow)]
pub struct LeadRow {
    id: i64,
    company_id: i64,
    first_name: String,
    last_name: String,
    company_name: String,
    email: Option<String>,
    phone: Option<String>,
    postal_code: Option<String>,
    stage_id: i64,
    source_id: Option<i64>,
    campaign_id: Option<i64>,
    cycle_id: Option<i64>,
    assigned_user_access_id: Option<i64>,
    value_cents: i64,
    answers: String,
    created_at: i64,
    updated_at: i64,
    version: i64,
    source_name: Option<String>,
    campaign_name: Option<String>,
    a_first: Option<String>,
    a_last: Option<String>,
}

impl LeadRow {
    pub fn into_lead(self) -> Lead {
        let assignee_name = match (self.a_first, self.a_last) {
            (Some(f), Some(l)) => Some(assignee_name(&f, &l)),
            _ => None,
        };
        Lead {
            id: self.id,
            company_id: self.company_id,
            first_name: self.first_name,
            last_name: self.last_name,
            company_name: self.company_name,
            email: self.email,
            phone: self.phone,
            postal_code: self.postal_code,
            stage_id: self.stage_id,
            source_id: self.source_id,
            campaign_id: self.campaign_id,
            cycle_id: self.cycle_id,
            assigned_user_access_id: self.assigned_user_access_id,
            value_cents: self.value_cents,
            answers: serde_json::from_str(&self.answers).unwrap_or_default(),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            version: self.version,
            source_name: self.source_name,
            campaign_name: self.campaign_name,
            assignee_name,
        }
    }
}
