//! Who is calling an operation. Doors find the actor (session cookie, bearer JWT,
//! customer API key, platform token); operations decide what it may do. A company
//! operation asks for a [`Member`], which only the membership check makes.

pub use crate::accesses::Role;
use crate::events::{ActorKind, By};
use crate::{db::Db, Ctx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in: only public operations accept it.
    Anonymous,
    User {
        user_id: i64,
    },
    /// A customer API key: acts as the admin who holds it, in its own company only.
    CustomerKey {
        key_id: i64,
        user_id: i64,
        company_id: i64,
    },
    /// A platform API token from the server's command line: `/api/v1/global/*` only.
    Platform {
        token_id: i64,
    },
    /// The server itself: command-line tools and background jobs.
    Operator,
}

impl Actor {
    /// The account of an account-level operation (profile, password, own companies).
    /// A customer key is refused: it was issued for one company's data, not for
    /// the account of whoever holds it.
    pub fn user_id(&self) -> Result<i64> {
        match self {
            Actor::User { user_id } => Ok(*user_id),
            Actor::CustomerKey { .. } => Err(Error::denied(
                "CUSTOMER_KEY_COMPANY_ONLY",
                "a customer API key works only on its company's routes (/companies/{company_id}/...)",
            )),
            _ => Err(Error::unauthorized()),
        }
    }

    /// Any signed-in caller, for reads of the shared catalog (stages, accesses).
    pub fn require_signed_in(&self) -> Result<()> {
        match self {
            Actor::User { .. } | Actor::CustomerKey { .. } => Ok(()),
            _ => Err(Error::unauthorized()),
        }
    }

    /// The user acting in `company_id`; another company of a key's user is "not found".
    fn user_in(&self, company_id: i64) -> Result<i64> {
        match self {
            Actor::CustomerKey {
                user_id,
                company_id: own,
                ..
            } if *own == company_id => Ok(*user_id),
            Actor::CustomerKey { .. } => Err(Error::not_found("company")),
            other => other.user_id(),
        }
    }

    pub fn require_platform(&self) -> Result<i64> {
        match self {
            Actor::Platform { token_id } => Ok(*token_id),
            _ => Err(Error::Unauthorized(
                "a valid platform API token is required".into(),
            )),
        }
    }

    pub fn require_operator(&self) -> Result<()> {
        match self {
            Actor::Operator => Ok(()),
            _ => Err(Error::forbidden()),
        }
    }
}

/// What a session or a JWT keeps of a sign-in: the user, and the version of their
/// credentials it was granted under. A password reset or change bumps the version,
/// which ends every grant issued before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub user_id: i64,
    pub version: i64,
}

impl Grant {
    /// The actor of a grant still in force: its user exists and no reset or
    /// password change came after it.
    pub async fn actor(self, ctx: &Ctx) -> Result<Actor> {
        match version_of(ctx, self.user_id).await? {
            Some(v) if v == self.version => Ok(Actor::User {
                user_id: self.user_id,
            }),
            _ => Err(Error::Unauthorized(
                "this sign-in has ended; please log in again".into(),
            )),
        }
    }

    /// A grant under the user's credentials as they are now.
    pub(crate) async fn current(ctx: &Ctx, user_id: i64) -> Result<Grant> {
        let version = version_of(ctx, user_id)
            .await?
            .ok_or_else(|| Error::not_found("user"))?;
        Ok(Grant { user_id, version })
    }
}

async fn version_of(ctx: &Ctx, user_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT credentials_version FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&ctx.db.pool)
            .await?,
    )
}

/// Proof that the caller holds an access in one company, made only by
/// [`Member::check`]: a company's rows are reached through one. It is also the one
/// home of the sales-rep rule (a rep sees the leads assigned to them).
#[derive(Debug, Clone)]
pub struct Member {
    company_id: i64,
    user_id: i64,
    user_access_id: i64,
    role: Role,
    /// The customer key acted through, if any.
    key_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    key: String,
}

impl Member {
    /// Finds the caller's access in `company_id`: a company the caller does not
    /// belong to is "not found", so its existence never leaks.
    pub async fn check(db: &Db, actor: &Actor, company_id: i64) -> Result<Member> {
        let user_id = actor.user_in(company_id)?;
        let row: Option<MemberRow> = sqlx::query_as(
            "SELECT ua.id, a.key FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
             WHERE ua.user_id = $1 AND ua.company_id = $2",
        )
        .bind(user_id)
        .bind(company_id)
        .fetch_optional(&db.pool)
        .await?;
        let row = row.ok_or_else(|| Error::not_found("company"))?;
        let role = Role::from_key(&row.key)
            .ok_or_else(|| Error::internal(format!("unknown access {}", row.key)))?;
        let key_id = match actor {
            Actor::CustomerKey { key_id, .. } => Some(*key_id),
            _ => None,
        };
        let me = Member {
            company_id,
            user_id,
            user_access_id: row.id,
            role,
            key_id,
        };
        me.name_in_span();
        Ok(me)
    }

    /// Names the company and the caller on the span the check runs in (a route's
    /// `caller` span, a job's), which declares them: whatever that request or job
    /// logs afterwards says whose it was.
    fn name_in_span(&self) {
        let span = tracing::Span::current();
        span.record("company_id", self.company_id);
        span.record("user_id", self.user_id);
        if let Some(key_id) = self.key_id {
            span.record("key_id", key_id);
        }
    }

    /// The membership a background job acts through: the access that started it,
    /// checked again as the job runs, so that someone who has left the company,
    /// or whose key was revoked since, no longer acts through it (each batch
    /// checks it again, with the role the job needs).
    pub async fn resume(
        db: &Db,
        company_id: i64,
        user_access_id: i64,
        key_id: Option<i64>,
    ) -> Result<Member> {
        #[derive(sqlx::FromRow)]
        struct Access {
            user_id: i64,
            key: String,
            key_live: i64,
        }
        let row: Option<Access> = sqlx::query_as(
            "SELECT ua.user_id, a.key, CASE WHEN $3 IS NULL OR EXISTS (SELECT 1 FROM customer_api_keys k \
               WHERE k.id = $3 AND k.user_id = ua.user_id AND k.company_id = ua.company_id \
               AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $4)) THEN 1 ELSE 0 END AS key_live \
             FROM user_accesses ua JOIN accesses a ON a.id = ua.access_id \
             WHERE ua.id = $1 AND ua.company_id = $2",
        )
        .bind(user_access_id)
        .bind(company_id)
        .bind(key_id)
        .bind(crate::time::Timestamp::now().0)
        .fetch_optional(&db.pool)
        .await?;
        let row = row.filter(|r| r.key_live == 1).ok_or_else(|| {
            Error::rule(
                "MEMBER_GONE",
                "the member who started this job is no longer part of the company, or their key was revoked",
            )
        })?;
        let role = Role::from_key(&row.key)
            .ok_or_else(|| Error::internal(format!("unknown access {}", row.key)))?;
        let me = Member {
            company_id,
            user_id: row.user_id,
            user_access_id,
            role,
            key_id,
        };
        me.name_in_span();
        Ok(me)
    }

    /// The customer key this member acts through, if any.
    pub fn key_id(&self) -> Option<i64> {
        self.key_id
    }

    /// A role at least `role`, else forbidden: what a company operation asks first.
    pub fn require(&self, role: Role) -> Result<()> {
        if self.role < role {
            return Err(Error::forbidden());
        }
        Ok(())
    }

    pub fn company_id(&self) -> i64 {
        self.company_id
    }

    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    /// The access this membership is: whose leads a rep works, whose views are whose.
    pub fn user_access_id(&self) -> i64 {
        self.user_access_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Who this member is, and through which door they came, for the events of
    /// their changes.
    pub fn by(&self, ctx: &Ctx) -> By {
        By {
            kind: match self.key_id {
                Some(_) => ActorKind::ApiKey,
                None => ActorKind::User,
            },
            user_id: Some(self.user_id),
            ref_id: self.key_id,
            door: ctx.door,
        }
    }

    /// The assignee this member's lead reads are narrowed to: their own
    /// user_access for a sales rep, none (every lead) for managers and admins.
    pub fn leads_assigned_to(&self) -> Option<i64> {
        (!self.manages()).then_some(self.user_access_id)
    }

    pub fn manages(&self) -> bool {
        self.role.manages()
    }

    /// Whether this member may see a lead with this assignee.
    pub fn sees_lead(&self, assignee: Option<i64>) -> bool {
        self.leads_assigned_to()
            .is_none_or(|me| assignee == Some(me))
    }
}
