//! The merge page's doors: the duplicates side by side, the merge, and its undo.

use crate::error::AppResult;
use leadsy::leads::Lead;
use leptos::prelude::*;
use std::collections::HashMap;

/// The leads to merge, as the caller sees them, in the order asked.
#[server]
pub async fn merge_candidates(company_id: i64, ids: Vec<i64>) -> AppResult<Vec<Lead>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let mut leads = Vec::new();
    for id in ids.into_iter().take(50) {
        leads.push(leadsy::leads::visible(&ctx, &me, id).await?);
    }
    Ok(leads)
}

/// Merges every lead of `ids` into `lead_id`, each field taken from the lead its
/// radio names (`fields[email]=12`), then shows the surviving lead.
#[server]
pub async fn merge_leads(
    company_id: i64,
    lead_id: i64,
    ids: String,
    #[server(default)] fields: HashMap<String, String>,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let lead_ids = ids
        .split(',')
        .filter_map(|id| id.trim().parse::<i64>().ok())
        .filter(|id| *id != lead_id)
        .collect();
    let fields = fields
        .into_iter()
        .filter_map(|(field, id)| id.parse::<i64>().ok().map(|id| (field, id)))
        .collect();
    let input = leadsy::leads::MergeLeads {
        lead_ids,
        fields,
        dry_run: false,
    };
    leadsy::leads::merge(&ctx, &me, lead_id, input).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}?merged=1"));
    Ok(())
}

#[server]
pub async fn undo_merge(company_id: i64, lead_id: i64, merge_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::leads::undo_merge(&ctx, &me, merge_id).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}?unmerged=1"));
    Ok(())
}
