//! The audit log's door: a page of the company's events, filtered as the page's
//! address says.

use crate::error::AppResult;
use leadsy::companies::CompanyUser;
use leadsy::events::Event;
use leadsy::paging::Meta;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The filters as the page's address carries them: a member's user id, an event
/// type, a lead id, and days (`2026-12-01`) read in the reader's time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub actor: String,
    pub kind: String,
    pub lead: String,
    pub from: String,
    pub to: String,
    pub page: i64,
}

impl AuditQuery {
    /// The filters as a query string, for the next page's link and the CSV.
    pub fn filters(&self) -> String {
        [
            ("actor_user_id", &self.actor),
            ("kind", &self.kind),
            ("lead_id", &self.lead),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", super::percent_encoded(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<Event>,
    pub meta: Meta,
    /// Whom the log can be narrowed to.
    pub members: Vec<CompanyUser>,
}

#[server]
pub async fn audit_log(company_id: i64, query: AuditQuery) -> AppResult<AuditPage> {
    use crate::session;
    use leadsy::error::Check;
    use leadsy::paging::Page;
    let (me, ctx) = session::member(company_id).await?;
    let zone = leadsy::users::time_zone(&ctx, &me).await?;
    let mut check = Check::default();
    let number = |raw: &str| match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| "must be a number".to_string()),
    };
    let day = |raw: &str, time: &str| match raw.trim() {
        "" => Ok(None),
        raw => zone.parse_minute(&format!("{raw}T{time}")).map(Some),
    };
    let kind = match query.kind.trim() {
        "" => Ok(None),
        k => leadsy::events::Kind::from_key(k)
            .map(Some)
            .ok_or_else(|| "is not a type of event".to_string()),
    };
    let actor_user_id = check.take("actor", number(&query.actor)).flatten();
    let lead_id = check.take("lead", number(&query.lead)).flatten();
    let kind = check.take("kind", kind).flatten();
    let from = check.take("from", day(&query.from, "00:00")).flatten();
    let to = check
        .take("to", day(&query.to, "23:59"))
        .flatten()
        .map(|t| leadsy::time::Timestamp(t.0 + 59));
    check.finish()?;
    let filter = leadsy::events::EventFilter {
        actor_user_id,
        kind,
        lead_id,
        from,
        to,
    };
    let page = Page::numbered(query.page, 50);
    let (events, meta) = leadsy::events::list(&ctx, &me, &filter, page).await?;
    let (members, _) = leadsy::companies::users(&ctx, &me, Page::first_full()).await?;
    Ok(AuditPage {
        events,
        meta,
        members,
    })
}
