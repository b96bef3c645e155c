//! Lead routing's doors: sources in priority order with their reps, and territories.

use crate::error::AppResult;
use leadsy::territories::Territory;
use leptos::prelude::*;

/// A new order posted as comma-separated ids, first first (the drag list and the
/// move buttons both send it).
#[cfg(feature = "ssr")]
pub(crate) fn ids_in_order(field: &str, raw: &str) -> Result<Vec<i64>, leadsy::Error> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()
        .map_err(|_| leadsy::Error::field(field, "must be a list of ids"))
}

#[server]
pub async fn create_source(company_id: i64, name: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::sources::CreateSource {
        name,
        user_access_ids: Vec::new(),
    };
    leadsy::sources::create(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/sources");
    Ok(())
}

#[server]
pub async fn delete_source(company_id: i64, source_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::sources::delete(&ctx, &me, source_id).await?;
    session::back_after_form_post("/settings/sources");
    Ok(())
}

#[server]
pub async fn reorder_sources(company_id: i64, order: String) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::sources::SourceOrder {
        source_ids: ids_in_order("source_ids", &order)?,
    };
    leadsy::sources::reorder(&ctx, &me, input).await?;
    session::back_after_form_post("/settings/sources");
    Ok(())
}

#[server]
pub async fn assign_source_rep(
    company_id: i64,
    source_id: i64,
    user_access_id: i64,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let input = leadsy::sources::AssignRep { user_access_id };
    leadsy::sources::assign(&ctx, &me, source_id, input).await?;
    session::back_after_form_post("/settings/sources");
    Ok(())
}

#[server]
pub async fn unassign_source_rep(
    company_id: i64,
    source_id: i64,
    user_access_id: i64,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::sources::unassign(&ctx, &me, source_id, user_access_id).await?;
    session::back_after_form_post("/settings/sources");
    Ok(())
}

#[server]
pub async fn territories(company_id: i64) -> AppResult<Vec<Territory>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::territories::list(&ctx, &me).await?)
}

/// One territory from the form: postal codes separated by commas, spaces or lines,
/// and the checked reps.
#[server]
pub async fn create_territory(
    company_id: i64,
    name: String,
    postal_codes: String,
    #[server(default)] reps: Vec<i64>,
) -> AppResult<()> {
    use crate::session;
    use leadsy::territories::{CreateTerritories, NewTerritory};
    let (me, ctx) = session::member(company_id).await?;
    let postal_codes = postal_codes
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let input = CreateTerritories {
        territories: vec![NewTerritory {
            name,
            postal_codes,
            user_access_ids: reps,
        }],
    };
    leadsy::territories::create(&ctx, &me, input)
        .await
        .map_err(|e| e.without_field_prefix("territories[0]."))?;
    session::back_after_form_post("/settings/territories");
    Ok(())
}

#[server]
pub async fn delete_territory(company_id: i64, territory_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::territories::delete(&ctx, &me, territory_id).await?;
    session::back_after_form_post("/settings/territories");
    Ok(())
}
