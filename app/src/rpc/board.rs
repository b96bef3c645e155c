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
use leadsy::views::SavedView;
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
    /// The caller's own access, for "My leads".
    pub my_access: i64,
    /// The caller's saved views and the company's shared ones.
    pub views: Vec<SavedView>,
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
        my_access: me.user_access_id(),
        views: leadsy::views::list(&ctx, &me).await?,
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
    let page = leadsy::paging::Page::numbered(page, PER_COLUMN);
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

/// A page of the leads the filters match, newest first, for the list view.
#[server]
pub async fn lead_list(
    company_id: i64,
    filter: LeadFilter,
    page: i64,
) -> AppResult<(Vec<Lead>, Meta)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::numbered(page, 50);
    Ok(leadsy::leads::list(&ctx, &me, &filter, page).await?)
}

#[server]
pub async fn unassigned_leads(
    company_id: i64,
    filter: LeadFilter,
    page: i64,
) -> AppResult<(Vec<Lead>, Meta)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::numbered(page, 25);
    Ok(leadsy::leads::unassigned(&ctx, &me, &filter, page).await?)
}

#[server]
pub async fn duplicate_groups(
    company_id: i64,
    page: i64,
) -> AppResult<(Vec<DuplicateGroup>, Meta)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::numbered(page, 10);
    Ok(leadsy::leads::duplicates(&ctx, &me, page).await?)
}

/// The best matches for what is typed in the board's search box (the sales-rep
/// rule applied, as everywhere), and how many leads match in all.
#[server]
pub async fn search_leads(company_id: i64, q: String) -> AppResult<(Vec<Lead>, i64)> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let filter = LeadFilter {
        q: Some(q),
        ..Default::default()
    };
    let page = leadsy::paging::Page::numbered(1, 8);
    let (leads, meta) = leadsy::leads::list(&ctx, &me, &filter, page).await?;
    Ok((leads, meta.total))
}

/// The board's filters as its form posts them (`filter[q]`, `filter[source]`…).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardFilterForm {
    pub q: String,
    pub source: String,
    pub campaign: String,
    pub cycle: String,
    pub assignee: String,
    pub stage: String,
}

impl BoardFilterForm {
    /// The filters the form's fields name; a field that is not an id is no filter.
    pub fn filter(&self) -> LeadFilter {
        let id = |v: &str| v.parse::<i64>().ok();
        LeadFilter {
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            source_id: id(&self.source),
            campaign_id: id(&self.campaign),
            cycle_id: id(&self.cycle),
            assigned_user_access_id: id(&self.assignee),
            stage_id: id(&self.stage),
        }
    }
}

/// Saves the board's filters as a named view; the board opens on it.
#[server]
pub async fn save_view(
    company_id: i64,
    name: String,
    #[server(default)] shared: Option<String>,
    #[server(default)] filter: BoardFilterForm,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::views::CreateView {
        name,
        filter: filter.filter(),
        shared: shared.is_some(),
    };
    let view = leadsy::views::create(&ctx, &me, input).await?;
    session::back_after_form_post(&board_href(&view.filter));
    Ok(())
}

#[server]
pub async fn delete_view(company_id: i64, view_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::views::delete(&ctx, &me, view_id).await?;
    session::back_after_form_post("/board");
    Ok(())
}

/// The names the board's address gives the filters; the API's are the fields'.
pub const BOARD_NAMES: [&str; 5] = ["source", "campaign", "cycle", "assignee", "stage"];
pub const API_NAMES: [&str; 5] = [
    "source_id",
    "campaign_id",
    "cycle_id",
    "assigned_user_access_id",
    "stage_id",
];

/// A filter as a query string (without `?`), source, campaign, cycle, assignee
/// and stage under `names`.
pub fn filter_query(f: &LeadFilter, names: [&str; 5]) -> String {
    let ids = [
        f.source_id,
        f.campaign_id,
        f.cycle_id,
        f.assigned_user_access_id,
        f.stage_id,
    ];
    let mut query: Vec<String> = names
        .iter()
        .zip(ids)
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if let Some(q) = &f.q {
        query.push(format!("q={}", super::percent_encoded(q)));
    }
    query.join("&")
}

/// The board showing a filter: the address its filters form would make.
/// A filter on one stage opens the list view: the board shows every stage.
pub fn board_href(f: &LeadFilter) -> String {
    match filter_query(f, BOARD_NAMES) {
        q if q.is_empty() => "/board".into(),
        q if f.stage_id.is_some() => format!("/board?view=list&{q}"),
        q => format!("/board?{q}"),
    }
}
