use super::{CreateView, SavedView};
use crate::actor::{Member, Role};
use crate::error::Check;
use crate::events::{self, Kind, NewEvent};
use crate::leads::row::assignee_name;
use crate::leads::LeadFilter;
use crate::{db, time::Timestamp, Ctx, Error, Result};

/// Views one member may keep; a list longer than this is no longer a shortcut.
const MAX_PER_MEMBER: i64 = 100;
/// The longest search a view keeps, as the search box takes it.
const MAX_QUERY: usize = 200;

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    company_id: i64,
    name: String,
    filter: String,
    shared: i64,
    user_access_id: i64,
    first_name: String,
    last_name: String,
    created_at: i64,
}

impl ViewRow {
    fn into_view(self) -> Result<SavedView> {
        Ok(SavedView {
            id: self.id,
            company_id: self.company_id,
            name: self.name,
            filter: serde_json::from_str(&self.filter).map_err(Error::internal)?,
            shared: self.shared != 0,
            user_access_id: self.user_access_id,
            owner_name: assignee_name(&self.first_name, &self.last_name),
            created_at: Timestamp(self.created_at),
        })
    }
}

const SELECT: &str = "SELECT v.id, v.company_id, v.name, v.filter, v.shared, v.user_access_id, \
    u.first_name, u.last_name, v.created_at FROM saved_views v \
    JOIN user_accesses ua ON ua.id = v.user_access_id JOIN users u ON u.id = ua.user_id";

/// The views a member sees: their own and the company's shared ones, by name.
const VISIBLE: &str = "v.company_id = $1 AND (v.user_access_id = $2 OR v.shared = 1)";

#[tracing::instrument(skip(ctx, me, input), fields(company_id = me.company_id()))]
pub async fn create(ctx: &Ctx, me: &Member, input: CreateView) -> Result<SavedView> {
    let mut check = Check::default();
    let name = check.take("name", crate::sources::parse_name(&input.name));
    let filter = LeadFilter {
        q: input
            .filter
            .q
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty()),
        ..input.filter
    };
    if filter
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY)
    {
        check.add(
            "filter.q",
            &format!("must be at most {MAX_QUERY} characters"),
        );
    }
    check.finish()?;
    let (name, key) = name.expect("checked above");
    let mut tx = ctx.db.begin().await?;
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM saved_views WHERE user_access_id = $1")
            .bind(me.user_access_id())
            .fetch_one(&mut *tx)
            .await?;
    if kept >= MAX_PER_MEMBER {
        return Err(Error::rule(
            "VIEW_LIMIT_REACHED",
            &format!("a member keeps at most {MAX_PER_MEMBER} views; delete one first"),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_views (company_id, user_access_id, name, name_key, filter, shared, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(me.company_id())
    .bind(me.user_access_id())
    .bind(&name)
    .bind(&key)
    .bind(serde_json::to_string(&filter).map_err(Error::internal)?)
    .bind(i64::from(input.shared))
    .bind(Timestamp::now().0)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        db::conflict_or(
            e,
            "saved_views",
            "name_key",
            Error::conflict("VIEW_NAME_ALREADY_EXISTS", "you already have a view with this name"),
        )
    })?;
    let view = find(&mut tx, me, id).await?;
    let event = NewEvent::about(Kind::ViewCreated, Some(id), &view);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(view)
}

/// The member's own views and the company's shared ones, by name.
pub async fn list(ctx: &Ctx, me: &Member) -> Result<Vec<SavedView>> {
    let rows: Vec<ViewRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE {VISIBLE} ORDER BY v.name_key, v.id"
    ))
    .bind(me.company_id())
    .bind(me.user_access_id())
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter().map(ViewRow::into_view).collect()
}

/// The owner deletes their view; an admin may also take down a shared one.
#[tracing::instrument(skip(ctx, me), fields(company_id = me.company_id()))]
pub async fn delete(ctx: &Ctx, me: &Member, view_id: i64) -> Result<()> {
    let mut tx = ctx.db.begin().await?;
    let view = find(&mut tx, me, view_id).await?;
    if view.user_access_id != me.user_access_id() {
        me.require(Role::Admin)?;
    }
    sqlx::query("DELETE FROM saved_views WHERE id = $1 AND company_id = $2")
        .bind(view_id)
        .bind(me.company_id())
        .execute(&mut *tx)
        .await?;
    let event = NewEvent::about(Kind::ViewDeleted, Some(view_id), &view);
    events::record(&mut tx, me.company_id(), &me.by(ctx), event).await?;
    tx.commit().await?;
    Ok(())
}

/// The filter a list is read through: the view's, with whatever the caller also
/// gave on top of it (a given filter wins over the view's).
pub async fn resolve(
    ctx: &Ctx,
    me: &Member,
    view_id: Option<i64>,
    given: LeadFilter,
) -> Result<LeadFilter> {
    let Some(view_id) = view_id else {
        return Ok(given);
    };
    let view = find(&mut *ctx.db.pool.acquire().await?, me, view_id).await?;
    let saved = view.filter;
    Ok(LeadFilter {
        stage_id: given.stage_id.or(saved.stage_id),
        source_id: given.source_id.or(saved.source_id),
        campaign_id: given.campaign_id.or(saved.campaign_id),
        cycle_id: given.cycle_id.or(saved.cycle_id),
        assigned_user_access_id: given
            .assigned_user_access_id
            .or(saved.assigned_user_access_id),
        q: given.q.filter(|q| !q.trim().is_empty()).or(saved.q),
    })
}

/// A view the member sees; another's private view, like another company's, is
/// not found.
async fn find(conn: &mut sqlx::AnyConnection, me: &Member, view_id: i64) -> Result<SavedView> {
    let row: Option<ViewRow> = sqlx::query_as(&format!("{SELECT} WHERE {VISIBLE} AND v.id = $3"))
        .bind(me.company_id())
        .bind(me.user_access_id())
        .bind(view_id)
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| Error::not_found("view"))?.into_view()
}
