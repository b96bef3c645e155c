//! One lead's doors: its page, the new/edit form, notes and appointments.

use crate::error::AppResult;
use leadsy::appointments::Appointment;
use leadsy::events::Event;
use leadsy::leads::{LeadDetail, Merge};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A lead's page: the lead with its notes, its appointments, and its latest
/// events with how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRecord {
    pub detail: LeadDetail,
    pub appointments: Vec<Appointment>,
    pub history: Vec<Event>,
    pub history_total: i64,
    /// Merges into this lead that can still be undone, newest first.
    pub merges: Vec<Merge>,
}

#[server]
pub async fn lead_page(company_id: i64, lead_id: i64) -> AppResult<LeadRecord> {
    use crate::session;
    use leadsy::paging::Page;
    let (me, ctx) = session::member(company_id).await?;
    let detail = leadsy::leads::get(&ctx, &me, lead_id).await?;
    let appointments = leadsy::appointments::for_lead(&ctx, &me, lead_id).await?;
    let (history, meta) = leadsy::events::for_lead(&ctx, &me, lead_id, Page::first_full()).await?;
    Ok(LeadRecord {
        detail,
        appointments,
        history,
        history_total: meta.total,
        merges: leadsy::leads::merges_of(&ctx, &me, lead_id).await?,
    })
}

/// The lead form as typed; ids arrive as text and a blank or missing one means
/// none (a sales rep's form has no assignee).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub email: String,
    pub phone: String,
    pub postal_code: String,
    pub stage_id: String,
    pub source_id: String,
    pub campaign_id: String,
    pub assigned_user_access_id: String,
    pub value: String,
    /// Each question's inputs by question id (`form[answers][7][0]`): the text
    /// typed, or the choices ticked.
    pub answers: HashMap<String, Vec<String>>,
}

/// Creates (no `lead_id`) or updates a lead, then shows it. An edit names the
/// `version` its form showed: a lead changed since is refused, not overwritten.
#[server]
pub async fn save_lead(
    company_id: i64,
    lead_id: Option<i64>,
    version: Option<i64>,
    form: LeadForm,
) -> AppResult<()> {
    use crate::session;
    use leadsy::error::Check;
    let (me, ctx) = session::member(company_id).await?;
    let mut check = Check::default();
    let mut id = |field: &str, raw: &str| -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        check.take(
            field,
            raw.parse().map_err(|_| "is not a valid choice".to_string()),
        )
    };
    let stage_id = id("stage_id", &form.stage_id);
    let source_id = id("source_id", &form.source_id);
    let campaign_id = id("campaign_id", &form.campaign_id);
    let assignee = id("assigned_user_access_id", &form.assigned_user_access_id);
    let value_cents = check.take("value", leadsy::leads::parse_amount(&form.value));
    check.finish()?;
    let questions = leadsy::questions::list(&ctx, &me).await?;
    let answers = Some(leadsy::questions::answers_from_form(
        &questions,
        &form.answers,
    ));
    let text = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let saved = match lead_id {
        None => {
            let input = leadsy::leads::CreateLead {
                first_name: form.first_name,
                last_name: form.last_name,
                company_name: form.company_name,
                email: text(form.email),
                phone: text(form.phone),
                postal_code: text(form.postal_code),
                stage_id,
                source_id,
                campaign_id,
                assigned_user_access_id: assignee,
                value_cents: value_cents.unwrap_or_default(),
                answers,
            };
            leadsy::leads::create(&ctx, &me, input).await?
        }
        Some(lead_id) => {
            let patch = leadsy::leads::UpdateLead {
                first_name: Some(form.first_name),
                last_name: Some(form.last_name),
                company_name: Some(form.company_name),
                email: Some(text(form.email)),
                phone: Some(text(form.phone)),
                postal_code: Some(text(form.postal_code)),
                stage_id,
                source_id: Some(source_id),
                campaign_id: Some(campaign_id),
                assigned_user_access_id: assignee.map(Some),
                value_cents,
                answers,
            };
            leadsy::leads::update(&ctx, &me, lead_id, patch, version).await?
        }
    };
    leptos_axum::redirect(&format!("/leads/{}", saved.id));
    Ok(())
}

/// Answers the company's questions about a lead from its page (every question
/// at once: a blank one is no answer).
#[server]
pub async fn answer_questions(
    company_id: i64,
    lead_id: i64,
    #[server(default)] answers: HashMap<String, Vec<String>>,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let questions = leadsy::questions::list(&ctx, &me).await?;
    let patch = leadsy::leads::UpdateLead {
        answers: Some(leadsy::questions::answers_from_form(&questions, &answers)),
        ..Default::default()
    };
    leadsy::leads::update(&ctx, &me, lead_id, patch, None).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}?answered=1"));
    Ok(())
}

#[server]
pub async fn add_note(company_id: i64, lead_id: i64, body: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::notes::create(&ctx, &me, lead_id, leadsy::notes::CreateNote { body }).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}"));
    Ok(())
}

#[server]
pub async fn delete_note(company_id: i64, lead_id: i64, note_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::notes::delete(&ctx, &me, lead_id, note_id).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}"));
    Ok(())
}

/// Books from the page's form, whose `datetime-local` value is read on the
/// caller's own clock (the page names their zone).
#[server]
pub async fn book_appointment(
    company_id: i64,
    lead_id: i64,
    starts_at: String,
    duration_minutes: i64,
    location: String,
    notes: String,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let start = leadsy::users::time_zone(&ctx, &me)
        .await?
        .parse_minute(&starts_at)
        .map_err(|m| leadsy::Error::field("starts_at", &m))?;
    let input = leadsy::appointments::BookAppointment {
        starts_at: start,
        ends_at: Some(leadsy::time::Timestamp(start.0 + duration_minutes * 60)),
        location,
        notes,
        user_id: None,
    };
    leadsy::appointments::book(&ctx, &me, lead_id, input).await?;
    session::back_after_form_post(&format!("/leads/{lead_id}"));
    Ok(())
}

#[server]
pub async fn my_appointments() -> AppResult<Vec<Appointment>> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let page = leadsy::paging::Page::numbered(1, 100);
    Ok(
        leadsy::appointments::mine(&ctx, &actor, Default::default(), page)
            .await?
            .0,
    )
}
