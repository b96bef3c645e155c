//! The sales process' doors: questions (company-wide and per campaign), campaigns
//! and cycles.

use crate::error::AppResult;
use leadsy::questions::Question;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Text from the form: blank means none.
#[cfg(feature = "ssr")]
fn given(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|s| !s.is_empty())
}

/// The campaign a form's menu picked: none when blank.
#[cfg(feature = "ssr")]
fn campaign_choice(raw: &str) -> Result<Option<i64>, leadsy::Error> {
    given(raw)
        .map(|id| id.parse())
        .transpose()
        .map_err(|_| leadsy::Error::field("campaign_id", "is not a valid choice"))
}

/// A choice question's options, one per line.
#[cfg(feature = "ssr")]
fn lines(raw: &str) -> Vec<String> {
    raw.lines().filter_map(given).map(str::to_string).collect()
}

#[server]
pub async fn questions(company_id: i64) -> AppResult<Vec<Question>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::questions::list(&ctx, &me).await?)
}

#[server]
pub async fn create_question(
    company_id: i64,
    text: String,
    kind: String,
    options: String,
    campaign_id: String,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let campaign_id = campaign_choice(&campaign_id)?;
    let input = leadsy::questions::CreateQuestion {
        text,
        kind,
        options: lines(&options),
        campaign_id,
    };
    leadsy::questions::create(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/questions");
    Ok(())
}

#[server]
pub async fn update_question(
    company_id: i64,
    question_id: i64,
    text: String,
    #[server(default)] options: String,
    campaign_id: String,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let campaign_id = campaign_choice(&campaign_id)?;
    let input = leadsy::questions::UpdateQuestion {
        text,
        options: lines(&options),
        campaign_id,
    };
    leadsy::questions::update(&ctx, &me, question_id, input).await?;
    session::back_after_form_post("/settings/questions");
    Ok(())
}

#[server]
pub async fn delete_question(company_id: i64, question_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::questions::delete(&ctx, &me, question_id).await?;
    session::back_after_form_post("/settings/questions");
    Ok(())
}

#[server]
pub async fn reorder_questions(company_id: i64, order: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::questions::QuestionOrder {
        question_ids: crate::rpc::routing::ids_in_order("question_ids", &order)?,
    };
    leadsy::questions::reorder(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/questions");
    Ok(())
}

#[server]
pub async fn campaign_questions(company_id: i64, campaign_id: i64) -> AppResult<Vec<Question>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::questions::for_campaign(&ctx, &me, campaign_id).await?)
}

/// Every choice question of the campaign at once, `options[<question id>]` holding
/// one option per line: all are saved or none.
#[server]
pub async fn save_campaign_options(
    company_id: i64,
    campaign_id: i64,
    #[server(default)] options: BTreeMap<i64, String>,
) -> AppResult<()> {
    use crate::session;
    use leadsy::questions::{BulkOptions, QuestionOptions};
    let (me, ctx) = session::member(company_id).await?;
    let input = BulkOptions {
        questions: options
            .iter()
            .map(|(id, raw)| QuestionOptions {
                id: *id,
                options: lines(raw),
            })
            .collect(),
    };
    leadsy::questions::set_options(&ctx, &me, campaign_id, input).await?;
    session::back_after_form_post(&format!("/settings/questions?campaign={campaign_id}"));
    Ok(())
}

/// The campaign form as typed; blank fields mean none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignForm {
    pub name: String,
    pub source_id: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// Creates (no `campaign_id`) or updates a campaign.
#[server]
pub async fn save_campaign(
    company_id: i64,
    campaign_id: Option<i64>,
    form: CampaignForm,
) -> AppResult<()> {
    use crate::session;
    use leadsy::error::Check;
    use leadsy::time::Day;
    let (me, ctx) = session::member(company_id).await?;
    let mut check = Check::default();
    let source_id = given(&form.source_id).and_then(|raw| {
        check.take(
            "source_id",
            raw.parse().map_err(|_| "is not a valid choice".to_string()),
        )
    });
    let mut day =
        |field: &str, raw: &str| given(raw).and_then(|d| check.take(field, Day::parse(d)));
    let starts_on = day("starts_on", &form.starts_on);
    let ends_on = day("ends_on", &form.ends_on);
    check.finish()?;
    let status = given(&form.status).map(str::to_string);
    match campaign_id {
        Some(id) => {
            let patch = leadsy::campaigns::UpdateCampaign {
                name: Some(form.name),
                source_id: Some(source_id),
                status,
                starts_on: Some(starts_on),
                ends_on: Some(ends_on),
            };
            leadsy::campaigns::update(&ctx, &me, id, patch).await?;
        }
        None => {
            let input = leadsy::campaigns::CreateCampaign {
                name: form.name,
                source_id,
                status,
                starts_on,
                ends_on,
            };
            leadsy::campaigns::create(&ctx, &me, input).await?;
        }
    }
    session::back_after_form_post("/settings/campaigns");
    Ok(())
}

#[server]
pub async fn set_cycles(company_id: i64, enabled: bool) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::cycles::CyclesFlag {
        cycles_enabled: enabled,
    };
    leadsy::cycles::set_enabled(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/cycles");
    Ok(())
}

#[server]
pub async fn create_cycle(
    company_id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
) -> AppResult<()> {
    use crate::session;
    use leadsy::error::Check;
    use leadsy::time::Day;
    let (me, ctx) = session::member(company_id).await?;
    let mut check = Check::default();
    let starts = check.take("starts_on", Day::parse(starts_on.trim()));
    let ends = check.take("ends_on", Day::parse(ends_on.trim()));
    check.finish()?;
    let input = leadsy::cycles::CreateCycle {
        name,
        starts_on: starts.expect("checked"),
        ends_on: ends.expect("checked"),
    };
    leadsy::cycles::create(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/cycles");
    Ok(())
}
