//! The doors of changing many leads at once and of exporting many: a selection
//! form's post, a large export started as a job, and a job's progress.

use crate::error::AppResult;
use crate::rpc::board::BoardFilterForm;
use leadsy::jobs::Job;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A selection form as it posts: the ticked leads (`ids[<lead id>]`), or all the
/// leads matching its filters, and one choice from the action menu (`assign:7`,
/// `assign:none`, `route`, `move:3`, `source:2`, `source:none`, `campaign:…`,
/// `delete`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SelectionForm {
    pub choice: String,
    pub ids: BTreeMap<String, String>,
    pub all: Option<String>,
    pub confirm: Option<String>,
    pub filter: BoardFilterForm,
    /// The page to come back to when the change is done at once.
    pub back: String,
}

/// Changes the chosen leads; a large selection goes on as a job whose page shows
/// its progress.
#[server]
pub async fn change_leads(company_id: i64, form: SelectionForm) -> AppResult<()> {
    use crate::session;
    use leadsy::leads::bulk_change::{BulkAction, BulkChange, BulkOutcome};
    use leadsy::Error;
    let (me, ctx) = session::member(company_id).await?;
    let ids: Vec<i64> = form.ids.keys().filter_map(|k| k.parse().ok()).collect();
    let all = form.all.is_some();
    if !all && ids.is_empty() {
        return Err(Error::rule(
            "NO_LEADS_CHOSEN",
            "Tick the leads to change first, or all of them.",
        )
        .into());
    }
    let mut input = BulkChange {
        lead_ids: (!all).then_some(ids),
        filter: all.then(|| form.filter.filter().into()),
        action: BulkAction::Delete,
        user_access_id: None,
        stage_id: None,
        source_id: None,
        campaign_id: None,
        route: false,
    };
    let id = |v: &str| match v {
        "none" => Ok(None),
        v => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::rule("UNKNOWN_CHOICE", "Choose what to do from the menu.")),
    };
    let (verb, value) = form.choice.split_once(':').unwrap_or((&form.choice, ""));
    match verb {
        "assign" => {
            input.action = BulkAction::Assign;
            input.user_access_id = Some(id(value)?);
        }
        "route" => {
            input.action = BulkAction::Assign;
            input.route = true;
        }
        "move" => {
            input.action = BulkAction::Move;
            input.stage_id = id(value)?;
        }
        "source" => {
            input.action = BulkAction::Set;
            input.source_id = Some(id(value)?);
        }
        "campaign" => {
            input.action = BulkAction::Set;
            input.campaign_id = Some(id(value)?);
        }
        "delete" if form.confirm.is_some() => {}
        "delete" => {
            return Err(Error::rule(
                "CONFIRM_DELETE",
                "Deleting cannot be undone: tick \"Yes, delete for good\" to delete the leads.",
            )
            .into())
        }
        _ => return Err(Error::rule("UNKNOWN_CHOICE", "Choose what to do from the menu.").into()),
    }
    match leadsy::leads::bulk_change(&ctx, &me, input).await? {
        BulkOutcome::Updated(n) => {
            let sep = if form.back.contains('?') { '&' } else { '?' };
            // Only the app's own pages: a posted address elsewhere is not followed.
            let back = if form.back.starts_with("/board") {
                form.back.as_str()
            } else {
                "/board"
            };
            session::back_after_form_post(&format!("{back}{sep}changed={n}"));
        }
        BulkOutcome::Job(job) => session::back_after_form_post(&format!("/jobs/{}", job.id)),
    }
    Ok(())
}

/// Starts exporting the leads the board's filters match as a job.
#[server]
pub async fn export_leads(
    company_id: i64,
    #[server(default)] filter: BoardFilterForm,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let job = leadsy::leads::start_export(&ctx, &me, &filter.filter()).await?;
    session::back_after_form_post(&format!("/jobs/{}", job.id));
    Ok(())
}

#[server]
pub async fn job_status(company_id: i64, job_id: i64) -> AppResult<Job> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::jobs::get(&ctx, &me, job_id).await?)
}
