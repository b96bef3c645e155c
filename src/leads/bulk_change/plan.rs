//! A bulk change checked and frozen: the selection, the action with its references
//! checked against the company, and the newest lead it may touch. A job keeps its
//! plan as JSON and walks the selection in id order, a batch at a time.

use super::{BulkAction, BulkChange, MAX_LEAD_IDS};
use crate::actor::Member;
use crate::db::Tx;
use crate::error::Check;
use crate::leads::references::References;
use crate::leads::scope::Scope;
use crate::leads::write::many::id_list;
use crate::leads::write::{fetch_many_in, Draft};
use crate::leads::{routing, Lead, LeadFilter};
use crate::{Ctx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Selection {
    /// Sorted, without repeats.
    Ids(Vec<i64>),
    Filter(LeadFilter),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub(super) enum Action {
    Assign {
        user_access_id: Option<i64>,
    },
    Route,
    Move {
        stage_id: i64,
    },
    Set {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "keep")]
        source_id: Option<Option<i64>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "keep")]
        campaign_id: Option<Option<i64>>,
        route: bool,
    },
    Delete,
}

/// A field a `set` leaves alone is absent; one it clears is `null`.
mod keep {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Option<i64>>, s: S) -> Result<S::Ok, S::Error> {
        v.flatten().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        Option::<i64>::deserialize(d).map(Some)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Plan {
    pub selection: Selection,
    #[serde(flatten)]
    pub action: Action,
    /// The newest lead id when the change was asked for.
    pub upto: i64,
}

/// The leads of one batch, locked, and where the walk goes on from.
pub(super) struct Batch {
    pub leads: Vec<Lead>,
    /// Ids looked at (for a list of ids, those of no lead too).
    pub looked_at: i64,
    /// The last lead looked at, `(created_at, id)`; `None` once the selection is
    /// walked through.
    pub last: Option<(i64, i64)>,
}

impl Plan {
    /// Checks a request from `me` (a manager) and freezes it.
    pub async fn check(ctx: &Ctx, me: &Member, input: BulkChange) -> Result<Plan> {
        let mut check = Check::default();
        let selection = match (input.lead_ids, input.filter) {
            (Some(_), Some(_)) => {
                check.add("lead_ids", "give lead_ids or a filter, not both");
                None
            }
            (None, None) => {
                check.add("lead_ids", "choose the leads: lead_ids, or a filter");
                None
            }
            (Some(ids), None) if ids.is_empty() => {
                check.add("lead_ids", "choose at least one lead");
                None
            }
            (Some(ids), None) if ids.len() > MAX_LEAD_IDS => {
                check.add(
                    "lead_ids",
                    &format!("at most {MAX_LEAD_IDS} leads by id: choose more with a filter"),
                );
                None
            }
            (Some(mut ids), None) => {
                ids.sort_unstable();
                ids.dedup();
                Some(Selection::Ids(ids))
            }
            (None, Some(filter)) => Some(Selection::Filter(filter.into())),
        };
        let only = |check: &mut Check, set: bool, field: &str, action: &str| {
            if set {
                check.add(field, &format!("is not part of the {action} action"));
            }
        };
        let action = match input.action {
            BulkAction::Assign => {
                only(&mut check, input.stage_id.is_some(), "stage_id", "assign");
                only(&mut check, input.source_id.is_some(), "source_id", "assign");
                only(
                    &mut check,
                    input.campaign_id.is_some(),
                    "campaign_id",
                    "assign",
                );
                match (input.user_access_id, input.route) {
                    (Some(_), true) => {
                        check.add("route", "give user_access_id or route, not both");
                        None
                    }
                    (Some(to), false) => Some(Action::Assign { user_access_id: to }),
                    (None, true) => Some(Action::Route),
                    (None, false) => {
                        check.add(
                            "user_access_id",
                            "assign to whom: a user_access_id, null to unassign, or route: true",
                        );
                        None
                    }
                }
            }
            BulkAction::Move => {
                only(
                    &mut check,
                    input.user_access_id.is_some(),
                    "user_access_id",
                    "move",
                );
                only(&mut check, input.source_id.is_some(), "source_id", "move");
                only(
                    &mut check,
                    input.campaign_id.is_some(),
                    "campaign_id",
                    "move",
                );
                only(&mut check, input.route, "route", "move");
                match input.stage_id {
                    Some(stage_id) => Some(Action::Move { stage_id }),
                    None => {
                        check.add("stage_id", "move to which stage: a stage_id");
                        None
                    }
                }
            }
            BulkAction::Set => {
                only(
                    &mut check,
                    input.user_access_id.is_some(),
                    "user_access_id",
                    "set",
                );
                only(&mut check, input.stage_id.is_some(), "stage_id", "set");
                if input.source_id.is_none() && input.campaign_id.is_none() {
                    check.add("source_id", "set what: a source_id or a campaign_id");
                }
                Some(Action::Set {
                    source_id: input.source_id,
                    campaign_id: input.campaign_id,
                    route: input.route,
                })
            }
            BulkAction::Delete => {
                only(
                    &mut check,
                    input.user_access_id.is_some(),
                    "user_access_id",
                    "delete",
                );
                only(&mut check, input.stage_id.is_some(), "stage_id", "delete");
                only(&mut check, input.source_id.is_some(), "source_id", "delete");
                only(
                    &mut check,
                    input.campaign_id.is_some(),
                    "campaign_id",
                    "delete",
                );
                only(&mut check, input.route, "route", "delete");
                Some(Action::Delete)
            }
        };
        if let Some(action) = &action {
            action.check_references(ctx, me).await?;
        }
        check.finish()?;
        let upto: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM leads")
            .fetch_one(&ctx.db.pool)
            .await?;
        Ok(Plan {
            selection: selection.expect("checked above"),
            action: action.expect("checked above"),
            upto: upto.unwrap_or(0),
        })
    }

    /// The leads the plan will look at.
    pub async fn count(&self, ctx: &Ctx, me: &Member) -> Result<i64> {
        match &self.selection {
            Selection::Ids(ids) => Ok(ids.len() as i64),
            Selection::Filter(f) => {
                let scope = Scope::in_creation_order(ctx.db.backend, me, f);
                let n = scope.binds.len();
                let sql = format!(
                    "SELECT COUNT(*) FROM leads l{} WHERE {} AND l.id <= ${}",
                    scope.join,
                    scope.sql,
                    n + 1
                );
                Ok(scope
                    .bind_all(sqlx::query_scalar(&sql))
                    .bind(self.upto)
                    .fetch_one(&ctx.db.pool)
                    .await?)
            }
        }
    }

    /// Locks and reads the next `size` leads after `after`, `(created_at, id)`:
    /// ids in id order, a filter's leads in creation order along the company's
    /// own indexes (the place as a row value, which PostgreSQL reads as a range of
    /// the index; spelt with OR, each batch filtered every lead before it).
    /// PostgreSQL locks them in that order, so two bulk changes (or a
    /// bulk change and a merge) over the same leads wait rather than deadlock; on
    /// SQLite the caller's transaction has written already, which holds every
    /// other writer off until it ends.
    pub async fn next_batch(
        &self,
        tx: &mut Tx<'_>,
        me: &Member,
        after: (i64, i64),
        size: usize,
    ) -> Result<Batch> {
        let company_id = me.company_id();
        let backend = crate::db::Backend::of(tx);
        let in_order = match backend {
            crate::db::Backend::Postgres => " FOR UPDATE",
            crate::db::Backend::Sqlite => "",
        };
        let (locked, looked_at, last): (Vec<i64>, i64, Option<(i64, i64)>) = match &self.selection {
            Selection::Ids(ids) => {
                let slice: Vec<i64> = ids
                    .iter()
                    .copied()
                    .filter(|id| *id > after.1)
                    .take(size)
                    .collect();
                let locked = if slice.is_empty() {
                    Vec::new()
                } else {
                    sqlx::query_scalar(&format!(
                        "SELECT id FROM leads WHERE +company_id = $1 AND id <= $2 \
                         AND id IN (SELECT CAST(value AS BIGINT) FROM {}) ORDER BY id{in_order}",
                        backend.json_strings("$3")
                    ))
                    .bind(company_id)
                    .bind(self.upto)
                    .bind(id_list(&slice))
                    .fetch_all(&mut **tx)
                    .await?
                };
                (locked, slice.len() as i64, slice.last().map(|id| (0, *id)))
            }
            Selection::Filter(f) => {
                let scope = Scope::in_creation_order(backend, me, f);
                let n = scope.binds.len();
                let sql = format!(
                    "SELECT l.id FROM leads l{} \
                     WHERE {} AND (l.created_at, l.id) > (${a}, ${b}) AND l.id <= ${c} \
                     ORDER BY {} LIMIT ${d}{in_order}",
                    scope.join,
                    scope.sql,
                    scope.order,
                    a = n + 1,
                    b = n + 2,
                    c = n + 3,
                    d = n + 4,
                );
                let locked: Vec<i64> = scope
                    .bind_all(sqlx::query_scalar(&sql))
                    .bind(after.0)
                    .bind(after.1)
                    .bind(self.upto)
                    .bind(size as i64)
                    .fetch_all(&mut **tx)
                    .await?;
                let n = locked.len() as i64;
                (locked, n, None)
            }
        };
        let mut ids = locked;
        ids.sort_unstable();
        let leads = if ids.is_empty() {
            Vec::new()
        } else {
            fetch_many_in(tx, company_id, &ids).await?
        };
        let last = match &self.selection {
            Selection::Ids(_) => last,
            Selection::Filter(_) => leads.iter().map(|l| (l.created_at.0, l.id)).max(),
        };
        Ok(Batch {
            leads,
            looked_at,
            last,
        })
    }
}

impl Action {
    /// What the action points at, checked against the company as a single lead's
    /// update would be; a refusal names the request's own field.
    pub async fn check_references(&self, ctx: &Ctx, me: &Member) -> Result<()> {
        let mut check = Check::default();
        self.references().check(&ctx.db, me, &mut check).await?;
        check.finish().map_err(|e| match e {
            Error::Validation { fields, .. } => Error::invalid(
                fields
                    .into_iter()
                    .map(|(k, v)| match k.as_str() {
                        "assigned_user_access_id" => ("user_access_id".to_string(), v),
                        _ => (k, v),
                    })
                    .collect(),
            ),
            other => other,
        })
    }

    fn references(&self) -> References {
        match self {
            Action::Assign { user_access_id } => References {
                assigned_user_access_id: *user_access_id,
                ..References::default()
            },
            Action::Move { stage_id } => References {
                stage_id: Some(*stage_id),
                ..References::default()
            },
            Action::Set {
                source_id,
                campaign_id,
                ..
            } => References {
                source_id: source_id.flatten(),
                campaign_id: campaign_id.flatten(),
                ..References::default()
            },
            Action::Route | Action::Delete => References::default(),
        }
    }

    /// Each lead as the action leaves it; routing, when asked for, draws its
    /// turns here, inside the batch's transaction.
    pub async fn drafts(
        &self,
        tx: &mut Tx<'_>,
        company_id: i64,
        leads: Vec<Lead>,
    ) -> Result<Vec<(Lead, Draft)>> {
        let mut drafts: Vec<(Lead, Draft)> = leads
            .into_iter()
            .map(|lead| {
                let mut draft = Draft::of(&lead);
                match self {
                    Action::Assign { user_access_id } => {
                        draft.assigned_user_access_id = *user_access_id
                    }
                    Action::Move { stage_id } => draft.stage_id = *stage_id,
                    Action::Set {
                        source_id,
                        campaign_id,
                        ..
                    } => {
                        if let Some(v) = source_id {
                            draft.source_id = *v;
                        }
                        if let Some(v) = campaign_id {
                            draft.campaign_id = *v;
                        }
                    }
                    Action::Route | Action::Delete => {}
                }
                (lead, draft)
            })
            .collect();
        if matches!(self, Action::Route | Action::Set { route: true, .. }) {
            let routes: Vec<(Option<&str>, Option<i64>)> = drafts
                .iter()
                .map(|(_, d)| (d.fields.postal_code.as_deref(), d.source_id))
                .collect();
            let chosen = routing::assign_many(tx, company_id, &routes).await?;
            for ((_, draft), to) in drafts.iter_mut().zip(chosen) {
                if let Some(to) = to {
                    draft.assigned_user_access_id = Some(to);
                }
            }
        }
        Ok(drafts)
    }
}
