//! Which leads a caller sees through a filter, as SQL: the same scope serves the
//! lists, the board and the metrics, over `leads` or over `lead_totals`.

use super::search::{ScopeWord, SearchQuery};
use super::LeadFilter;
use crate::actor::Member;
use crate::db::Backend;

/// The same scope over `lead_totals`, which the triggers of migration 0003 keep per
/// company, stage and assignee: counts and sums without reading the leads. Only
/// filters on those three columns can use it; `None` for any other filter.
pub(crate) struct Totals(pub(crate) Scope);

impl Totals {
    pub fn needs_leads(f: &LeadFilter) -> bool {
        f.q.as_deref().and_then(SearchQuery::parse).is_some()
            || f.source_id.is_some()
            || f.campaign_id.is_some()
            || f.cycle_id.is_some()
    }

    pub fn new(me: &Member, f: &LeadFilter) -> Option<Totals> {
        if Self::needs_leads(f) {
            return None;
        }
        let mut t = Scope::empty();
        t.and("company_id = $", Bind::Int(me.company_id()));
        if let Some(own) = me.leads_assigned_to() {
            t.and("assignee = $", Bind::Int(own));
        }
        if let Some(id) = f.assigned_user_access_id {
            t.and("assignee = $", Bind::Int(id));
        }
        if let Some(id) = f.stage_id {
            t.and("stage_id = $", Bind::Int(id));
        }
        Some(Totals(t))
    }

    /// Narrows to leads nobody is assigned to.
    pub fn unassigned(&mut self) {
        self.0.and("assignee = $", Bind::Int(0));
    }
}

/// The WHERE clause of what the caller may see through a filter, with its binds
/// numbered from `$1`, and how such leads are ordered: newest first (a search's
/// short lists are ranked by the list itself). A sales rep's scope is always their
/// own leads.
pub(crate) struct Scope {
    pub sql: String,
    pub binds: Vec<Bind>,
    /// Joined after `leads l` and its joins: the full-text table on SQLite.
    pub join: &'static str,
    pub order: String,
    /// What is searched for, to rank a short list of matches by name.
    pub search: Option<SearchQuery>,
    /// On SQLite, the full-text match that alone holds the whole scope (a search
    /// narrowed only by company and assignee), which counts without the leads.
    pub in_index: Option<String>,
}

pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

impl Scope {
    /// The same leads, walked in creation order a batch at a time (a bulk
    /// change): along the company's indexes, which all end in `created_at, id`.
    pub fn in_creation_order(backend: Backend, me: &Member, f: &LeadFilter) -> Scope {
        let mut scope = Self::new(backend, me, f);
        scope.order = "l.created_at, l.id".into();
        scope
    }

    pub fn new(backend: Backend, me: &Member, f: &LeadFilter) -> Scope {
        let mut scope = Scope::empty();
        let q = f.q.as_deref().and_then(SearchQuery::parse);
        // A search on SQLite must start from the full-text index: `+` keeps the
        // planner off the company's indexes, which would have it run the match
        // once per lead of the company.
        let company = match (&q, backend) {
            (Some(q), Backend::Sqlite) if q.email().is_none() => "+l.company_id = $",
            _ => "l.company_id = $",
        };
        scope.and(company, Bind::Int(me.company_id()));
        if let Some(own) = me.leads_assigned_to() {
            scope.and("l.assigned_user_access_id = $", Bind::Int(own));
        }
        let ids = [
            ("l.stage_id = $", f.stage_id),
            ("l.source_id = $", f.source_id),
            ("l.campaign_id = $", f.campaign_id),
            ("l.cycle_id = $", f.cycle_id),
            ("l.assigned_user_access_id = $", f.assigned_user_access_id),
        ];
        for (cond, id) in ids {
            if let Some(id) = id {
                scope.and(cond, Bind::Int(id));
            }
        }
        if let Some(q) = q {
            let mut within = vec![ScopeWord::company(me.company_id())];
            within.extend(me.leads_assigned_to().map(ScopeWord::assignee));
            within.extend(f.assigned_user_access_id.map(ScopeWord::assignee));
            // Named one by one, so a filter added to `LeadFilter` must say here
            // whether the index alone can count it.
            let LeadFilter {
                stage_id: None,
                source_id: None,
                campaign_id: None,
                cycle_id: None,
                assigned_user_access_id: assignee,
                q: _,
            } = f
            else {
                scope.search(backend, &q, &within);
                scope.search = Some(q);
                return scope;
            };
            // The index's word for nobody is `_a0`; the list knows no lead of id 0.
            let countable = assignee.is_none_or(|id| id > 0);
            let matched = scope.search(backend, &q, &within);
            if countable {
                scope.in_index = matched;
            }
            scope.search = Some(q);
        }
        scope
    }

    /// Narrows to leads nobody is assigned to.
    pub fn unassigned(&mut self) {
        self.sql.push_str(" AND l.assigned_user_access_id IS NULL");
        self.in_index = None;
    }

    fn empty() -> Scope {
        Scope {
            sql: String::new(),
            binds: Vec::new(),
            join: "",
            order: "l.created_at DESC, l.id DESC".into(),
            search: None,
            in_index: None,
        }
    }

    /// Narrows to the leads matching `q` through the full-text index, newest
    /// first: on SQLite along the index's own order (rowids are given in creation
    /// order), so a page of a common prefix reads a page of matches, not all of
    /// them. No rank by relevance here: weighing every match (bm25, `ts_rank`) cost
    /// more than the rest of a search put together; the list ranks a short list.
    /// Returns the full-text match on SQLite, which holds the whole scope.
    fn search(
        &mut self,
        backend: Backend,
        q: &SearchQuery,
        within: &[ScopeWord],
    ) -> Option<String> {
        match backend {
            // An address along the company's email index: `email_key` is the
            // address lower-cased, and SQLite compares text byte by byte.
            Backend::Sqlite if q.email().is_some() => {
                let typed = q.email().unwrap_or_default();
                self.and("l.email_key >= $", Bind::Text(typed.to_string()));
                self.and("l.email_key < $", Bind::Text(format!("{typed}\u{10FFFF}")));
            }
            Backend::Sqlite => {
                self.join = " JOIN lead_search fts ON fts.rowid = l.id";
                let matched = q.fts5(within);
                self.and("fts.lead_search MATCH $", Bind::Text(matched.clone()));
                self.order = "fts.rowid DESC".into();
                return Some(matched);
            }
            Backend::Postgres => {
                self.and(
                    "l.search_vector @@ to_tsquery('simple', $",
                    Bind::Text(q.tsquery()),
                );
                self.sql.push(')');
            }
        }
        None
    }

    /// Appends `AND <cond><n>` where `cond` ends with `$`.
    fn and(&mut self, cond: &str, bind: Bind) {
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.binds.push(bind);
        self.sql.push_str(cond);
        self.sql.push_str(&self.binds.len().to_string());
    }

    pub fn bind_all<'q, Q: Bindable<'q>>(&'q self, mut q: Q) -> Q {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind_i64(*i),
                Bind::Text(t) => q.bind_str(t),
            };
        }
        q
    }
}

/// The three sqlx query kinds, so one scope binds into any of them.
pub(crate) trait Bindable<'q> {
    fn bind_i64(self, v: i64) -> Self;
    fn bind_str(self, v: &'q str) -> Self;
}

macro_rules! bindable {
    ($ty:ty, $($g:tt)*) => {
        impl<'q, $($g)*> Bindable<'q> for $ty {
            fn bind_i64(self, v: i64) -> Self {
                self.bind(v)
            }
            fn bind_str(self, v: &'q str) -> Self {
                self.bind(v)
            }
        }
    };
}

type Args<'q> = sqlx::any::AnyArguments<'q>;
bindable!(sqlx::query::QueryAs<'q, sqlx::Any, O, Args<'q>>, O);
bindable!(sqlx::query::QueryScalar<'q, sqlx::Any, O, Args<'q>>, O);
