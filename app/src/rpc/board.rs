//! The board's doors: its columns, more cards for one column, moving a card, and
//! the unassigned and duplicates views.

use crate::error::AppResult;
use leadsy::campaigns::Campaign;
use leadsy::companies::CompanyUser;
use leadsy::cycles::Cycle;
use leadsy::leads::{BoardColumn, DuplicateGroup, Lead, LeadFilter};
use leadsy::paging::Meta;
use leadsy::questions::Question;
use leadsy::sources::Source;
use leadsy::stages::Stage;
use leadsy::time::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Cards per column on first load and per "more" after it.
pub const PER_COLUMN: i64 = 20;

/// What the board's filters and the lead forms choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub stages: Vec<Stage>,
    pub sources: Vec<Source>,
    pub campaigns: Vec<Campaign>,
    pub cycles: Vec<Cycle>,
    pub members: Vec<CompanyUser>,
    /// What reps ask about each lead, first asked first.
    pub questions: Vec<Question>,
    /// Whether the caller manages the company's leads (assigns them, imports, sees
    /// the unassigned), as managers and admins do; a sales rep works their own.
    pub manages: bool,
}

#[server]
pub async fn catalog(company_id: i64) -> AppResult<Choices> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let me = leadsy::actor::Member::check(&ctx.db, &actor, company_id).await?;
    Ok(Choices {
        stages: leadsy::stages::list(&ctx, &actor).await?,
        sources: leadsy::sources::list(&ctx, &me).await?,
        campaigns: leadsy::campaigns::list(&ctx, &me).await?,
        cycles: leadsy::cycles::list(&ctx, &me).await?,
        members: leadsy::companies::users(&ctx, &me, leadsy::paging::Page::first_full())
            .await?
            .0,
        questions: leadsy::questions::list(&ctx, &me).await?,
        manages: me.manages(),
    })
}

/// The board's columns, and the server's clock so that cards' ages read the same
/// before and after hydration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub columns: Vec<BoardColumn>,
    pub now: Timestamp,
}

#[server]
pub async fn board(company_id: i64, filter: LeadFilter) -> AppResult<BoardData> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(BoardData {
        columns: leadsy::leads::board(&ctx, &me, &filter, PER_COLUMN).await?,
        now: Timestamp::now(),
    })
}

/// Page `page` of one column (`filter.stage_id`), for scrolling further down it.
#[server]
pub async fn column_page(company_id: i64, filter: LeadFilter, page: i64) -> AppResult<Vec<Lead>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::from_query(Some(leadsy::paging::PageQuery {
        page: Some(page),
        per_page: Some(PER_COLUMN),
    }));
    Ok(leadsy::leads::list(&ctx, &me, &filter, page).await?.0)
}

/// Moves a card seen at `version`: a lead changed since is not moved, and the
/// page says so. A plain form post (the board before it hydrated, the lead's page)
/// comes back to the page it was sent from.
#[server]
pub async fn move_lead(
    company_id: i64,
    lead_id: i64,
    stage_id: i64,
    version: Option<i64>,
) -> AppResult<Lead> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let patch = leadsy::leads::UpdateLead {
        stage_id: Some(stage_id),
        ..Default::default()
    };
    Ok(leadsy::leads::update(&ctx, &me, lead_id, patch, version).await?)
}

#[server]
pub async fn unassigned_leads(
    company_id: i64,
    filter: LeadFilter,
    page: i64,
) -> AppResult<(Vec<Lead>, Meta)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::from_query(Some(leadsy::paging::PageQuery {
        page: Some(page),
        per_page: Some(25),
    }));
    Ok(leadsy::leads::unassigned(&ctx, &me, &filter, page).await?)
}

#[server]
pub async fn duplicate_groups(
    company_id: i64,
    page: i64,
) -> AppResult<(Vec<DuplicateGroup>, Meta)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::from_query(Some(leadsy::paging::PageQuery {
        page: Some(page),
        per_page: Some(10),
    }));
    Ok(leadsy::leads::duplicates(&ctx, &me, page).await?)
}
