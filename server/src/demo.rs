//! Realistic demo data for trying Leadsy at scale: onboarded companies with a team,
//! sources, campaigns, territories, cycles and as many leads as asked for (100k in
//! one company loads in seconds; ten companies make a million).

use leadsy::actor::{Grant, Member};
use leadsy::db::Conn;
use leadsy::events::By;
use leadsy::leads::bulk::{insert_placed, PlacedLead};
use leadsy::leads::LeadFields;
use leadsy::time::{Day, Timestamp};
use leadsy::{Actor, Ctx, Result};

pub const PASSWORD: &str = "demo-password-1";

/// One company's worth of demo data.
pub struct DemoCompany {
    pub company_id: i64,
    pub admin_email: String,
    /// The admin's Actor, for benchmarks that call operations directly.
    pub admin: Actor,
    /// The admin's sign-in, for benchmarks that call the API with a token.
    pub admin_grant: Grant,
}

/// A small, seeded generator: the same arguments give the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "Tim",
    "Radia",
    "Guido",
    "Katherine",
    "John",
    "Hedy",
    "Donald",
    "Sophie",
    "Bjarne",
    "Anita",
    "Edsger",
    "Lucia",
    "Omar",
    "Priya",
    "Chen",
    "Fatima",
    "Mateo",
    "Ingrid",
    "Kwame",
    "Yuki",
    "Elena",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Berners-Lee",
    "Perlman",
    "van Rossum",
    "Johnson",
    "Backus",
    "Lamarr",
    "Knuth",
    "Wilson",
    "Stroustrup",
    "Borg",
    "Dijkstra",
    "Garcia",
    "Haddad",
    "Patel",
    "Wei",
    "Okafor",
    "Silva",
    "Larsen",
    "Mensah",
    "Tanaka",
    "Popescu",
];
const COMPANIES: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Soylent",
    "Vandelay",
    "Wonka",
    "Cyberdyne",
    "Tyrell",
    "Oscorp",
    "Pied Piper",
    "Aperture",
    "Black Mesa",
    "Dunder Mifflin",
    "Prestige Worldwide",
    "Massive Dynamic",
    "Gringotts",
];
const POSTAL: &[&str] = &[
    "10001", "10002", "10003", "94103", "94107", "60601", "60602", "73301", "98101", "02108",
    "30301", "80202",
];
/// Stage keys in board order with how many of every hundred leads sit there.
const FUNNEL: &[(&str, usize)] = &[
    ("new", 30),
    ("contacted", 22),
    ("qualified", 15),
    ("appointment_set", 10),
    ("proposal", 8),
    ("won", 7),
    ("lost", 8),
];
const BATCH: usize = 400;

/// Fills `companies` companies with `leads_each` leads. Admins log in as
/// `admin@demo-N.leadsy.test` with [`PASSWORD`].
pub async fn fill(ctx: &Ctx, companies: usize, leads_each: usize) -> Result<Vec<DemoCompany>> {
    let tag = Timestamp::now().0;
    let mut out = Vec::new();
    for n in 1..=companies {
        out.push(company(ctx, &format!("{tag}-{n}"), n as u64, leads_each).await?);
    }
    Ok(out)
}

/// A user who finished onboarding (profile, current terms, finish).
async fn onboarded(ctx: &Ctx, email: &str, first: &str, last: &str) -> Result<(Grant, Actor)> {
    let signed = leadsy::users::signup(
        ctx,
        leadsy::users::SignUp {
            email: email.into(),
            password: PASSWORD.into(),
            first_name: first.into(),
            last_name: last.into(),
            time_zone: None,
        },
    )
    .await?;
    let user = signed.user;
    leadsy::users::vouch_email(ctx, &Actor::Operator, user.id).await?;
    let actor = Actor::User { user_id: user.id };
    let profile = leadsy::onboarding::Profile {
        first_name: first.into(),
        last_name: last.into(),
    };
    leadsy::onboarding::save_profile(ctx, &actor, profile).await?;
    let terms = leadsy::legal::current(ctx).await?;
    let sign = leadsy::onboarding::ApproveTerms {
        legal_term_id: terms.id,
    };
    leadsy::onboarding::approve_terms(ctx, &actor, user.id, sign).await?;
    let done = leadsy::onboarding::FinishOnboarding {
        onboarding_completed: true,
    };
    leadsy::onboarding::finish(ctx, &actor, user.id, done).await?;
    Ok((signed.grant, actor))
}

async fn company(ctx: &Ctx, tag: &str, seed: u64, leads: usize) -> Result<DemoCompany> {
    let domain = format!("demo-{tag}.leadsy.test");
    let admin_email = format!("admin@{domain}");
    let (admin_grant, admin) = onboarded(ctx, &admin_email, "Dana", "Admin").await?;
    let company = leadsy::companies::create(
        ctx,
        &admin,
        leadsy::companies::CreateCompany {
            name: format!("Northwind Demo {tag}"),
        },
    )
    .await?;
    let owner = Member::check(&ctx.db, &admin, company.id).await?;
    let growth = leadsy::memberships::list(ctx)
        .await?
        .into_iter()
        .last()
        .map(|m| m.id)
        .unwrap_or(1);
    leadsy::memberships::attach(
        ctx,
        &owner,
        leadsy::memberships::AttachMembership {
            membership_id: growth,
        },
    )
    .await?;
    let mut team = Vec::new();
    for (i, (first, last, access)) in [
        ("Morgan", "Manager", "manager"),
        ("Riley", "Reyes", "sales_rep"),
        ("Sam", "Okoro", "sales_rep"),
        ("Jo", "Lindqvist", "sales_rep"),
        ("Alex", "Moreau", "sales_rep"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("{}{i}@{domain}", access.replace('_', ""));
        let access_id: i64 = sqlx::query_scalar("SELECT id FROM accesses WHERE key = $1")
            .bind(access)
            .fetch_one(&ctx.db.pool)
            .await?;
        let invitation = leadsy::invitations::create(
            ctx,
            &owner,
            leadsy::invitations::CreateInvitation {
                email: email.clone(),
                access_id,
            },
        )
        .await?;
        let (_, member) = onboarded(ctx, &email, first, last).await?;
        let ua = leadsy::invitations::accept_offered(ctx, &member, invitation.id).await?;
        team.push(ua.id);
    }
    let reps = &team[1..];
    let mut sources = Vec::new();
    for (i, name) in [
        "Website",
        "Referral",
        "Trade show",
        "Cold outreach",
        "Partner",
    ]
    .into_iter()
    .enumerate()
    {
        let input = leadsy::sources::CreateSource {
            name: name.into(),
            user_access_ids: vec![reps[i % reps.len()], reps[(i + 1) % reps.len()]],
        };
        sources.push(leadsy::sources::create(ctx, &owner, input).await?.id);
    }
    let mut campaigns = Vec::new();
    for (i, name) in ["Spring launch", "Summer webinar", "Q4 push", "Newsletter"]
        .into_iter()
        .enumerate()
    {
        let input = leadsy::campaigns::CreateCampaign {
            name: name.into(),
            source_id: Some(sources[i % sources.len()]),
            status: Some(if i == 3 { "paused" } else { "active" }.into()),
            starts_on: None,
            ends_on: None,
        };
        campaigns.push(leadsy::campaigns::create(ctx, &owner, input).await?.id);
    }
    let territories = leadsy::territories::CreateTerritories {
        territories: vec![
            leadsy::territories::NewTerritory {
                name: "New York".into(),
                postal_codes: vec!["10001".into(), "10002".into(), "10003".into()],
                user_access_ids: vec![reps[0]],
            },
            leadsy::territories::NewTerritory {
                name: "Bay Area".into(),
                postal_codes: vec!["94103".into(), "94107".into()],
                user_access_ids: vec![reps[1], reps[2]],
            },
        ],
    };
    leadsy::territories::create(ctx, &owner, territories).await?;
    for (text, kind, options, campaign) in [
        (
            "What is the budget?",
            "single_choice",
            &["Under $5k", "$5k to $20k", "Over $20k"][..],
            None,
        ),
        ("How many seats do they need?", "number", &[][..], None),
        ("When do they want to start?", "text", &[][..], None),
        (
            "Which webinar topic brought them?",
            "multi_choice",
            &["Pipelines", "Imports", "Reporting"][..],
            Some(campaigns[1]),
        ),
    ] {
        let input = leadsy::questions::CreateQuestion {
            text: text.into(),
            kind: kind.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            campaign_id: campaign,
        };
        leadsy::questions::create(ctx, &owner, input).await?;
    }
    let cycles = month_cycles(ctx, &owner).await?;
    leadsy::cycles::set_enabled(
        ctx,
        &owner,
        leadsy::cycles::CyclesFlag {
            cycles_enabled: true,
        },
    )
    .await?;
    let stages: Vec<(String, i64)> = sqlx::query_as("SELECT key, id FROM stages")
        .fetch_all(&ctx.db.pool)
        .await?;
    let stage = |key: &str| {
        stages
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| *id)
            .unwrap_or(1)
    };
    let funnel: Vec<(i64, usize)> = FUNNEL.iter().map(|(k, w)| (stage(k), *w)).collect();
    let plan = Plan {
        company_id: company.id,
        seed,
        reps: reps.to_vec(),
        sources,
        campaigns,
        cycles,
        funnel,
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let now = Timestamp::now().0;
    let mut written = 0;
    while written < leads {
        let n = BATCH.min(leads - written);
        let rows: Vec<PlacedLead> = (0..n)
            .map(|i| plan.row(&mut rng, now, written + i))
            .collect();
        let mut tx = ctx.db.begin_bulk().await?;
        insert_placed(
            &mut tx,
            &Actor::Operator,
            &By::operator(),
            plan.company_id,
            &rows,
        )
        .await?;
        tx.commit().await?;
        written += n;
    }
    Ok(DemoCompany {
        company_id: company.id,
        admin_email,
        admin,
        admin_grant,
    })
}

/// A cycle per month from six months ago to this one.
async fn month_cycles(ctx: &Ctx, admin: &Member) -> Result<Vec<(String, String, i64)>> {
    let today = time::OffsetDateTime::now_utc().date();
    let mut out = Vec::new();
    for back in (0..7).rev() {
        let mut year = today.year();
        let mut month = today.month() as i32 - back;
        while month < 1 {
            month += 12;
            year -= 1;
        }
        let m = time::Month::try_from(month as u8).expect("1..=12");
        let last = m.length(year);
        let starts = Day::parse(&format!("{year:04}-{month:02}-01")).expect("a date");
        let ends = Day::parse(&format!("{year:04}-{month:02}-{last:02}")).expect("a date");
        let input = leadsy::cycles::CreateCycle {
            name: format!("{m} {year}"),
            starts_on: starts.clone(),
            ends_on: ends.clone(),
        };
        let id = leadsy::cycles::create(ctx, admin, input).await?.id;
        out.push((starts.to_string(), ends.to_string(), id));
    }
    Ok(out)
}

struct Plan {
    company_id: i64,
    seed: u64,
    reps: Vec<i64>,
    sources: Vec<i64>,
    campaigns: Vec<i64>,
    cycles: Vec<(String, String, i64)>,
    funnel: Vec<(i64, usize)>,
}

impl Plan {
    fn row(&self, rng: &mut Rng, now: i64, n: usize) -> PlacedLead {
        // About one lead in a hundred is an earlier lead entered again: the
        // duplicates view has work. A person is a function of their serial.
        let serial = if rng.below(100) == 0 && n > 10 {
            rng.below(n)
        } else {
            n
        };
        let mut person = Rng(self.seed ^ (serial as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let first = person.pick(FIRST);
        let last = person.pick(LAST);
        let employer = person.pick(COMPANIES);
        let email = format!(
            "{}.{}{serial}@{}.example",
            first.to_lowercase(),
            last.to_lowercase().replace(' ', ""),
            employer.to_lowercase().replace(' ', "")
        );
        let phone = format!("+1 555 {:03} {:04}", rng.below(1000), rng.below(10_000));
        let roll = rng.below(100);
        let mut acc = 0;
        let stage_id = self
            .funnel
            .iter()
            .find(|(_, w)| {
                acc += w;
                roll < acc
            })
            .map(|(id, _)| *id)
            .unwrap_or(self.funnel[0].0);
        let created_at = now - rng.below(180 * 86_400) as i64;
        let day = Day::of(Timestamp(created_at));
        let cycle_id = self
            .cycles
            .iter()
            .find(|(s, e, _)| s.as_str() <= day.as_str() && day.as_str() <= e.as_str())
            .map(|c| c.2);
        PlacedLead {
            fields: LeadFields {
                first_name: first.into(),
                last_name: last.into(),
                company_name: format!(
                    "{employer} {}",
                    ["Inc", "LLC", "GmbH", "Ltd", "Co"][rng.below(5)]
                ),
                email: Some(email),
                phone: Some(phone),
                postal_code: Some(rng.pick(POSTAL).into()),
                value_cents: (rng.below(500) as i64) * 10_000,
            },
            stage_id,
            source_id: (rng.below(10) > 0).then(|| self.sources[rng.below(self.sources.len())]),
            campaign_id: (rng.below(3) == 0)
                .then(|| self.campaigns[rng.below(self.campaigns.len())]),
            cycle_id,
            assigned_user_access_id: (rng.below(20) > 0)
                .then(|| self.reps[rng.below(self.reps.len())]),
            answers: "{}".into(),
            created_at: Timestamp(created_at),
        }
    }
}
