//! Domain operations called directly, on SQLite or, with `LEADSY_TEST_POSTGRES_URL`,
//! on PostgreSQL: the rules that hold whichever door is used.

use leadsy::actor::Member;
use leadsy::ctx::Settings;
use leadsy::onboarding::Step;
use leadsy::{mail::Mailer, storage::Storage, Actor, Ctx, Error};
use std::sync::Arc;

async fn ctx(dir: &tempfile::TempDir) -> Ctx {
    let postgres = std::env::var("LEADSY_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let db = leadsy::db::scratch(postgres.as_deref(), dir.path())
        .await
        .expect("database");
    Ctx {
        db,
        mailer: Mailer::outbox(dir.path().join("outbox"), "Leadsy <no-reply@leadsy.local>")
            .unwrap(),
        storage: Storage::local(&dir.path().join("files"), "http://127.0.0.1:3000").unwrap(),
        settings: Arc::new(Settings::default()),
        import_queued: Default::default(),
        job_queued: Default::default(),
        budgets: Default::default(),
        stop: Default::default(),
        door: leadsy::events::Door::Cli,
    }
}

async fn user(ctx: &Ctx, email: &str) -> Actor {
    let u = leadsy::users::signup(
        ctx,
        leadsy::users::SignUp {
            email: email.into(),
            password: "correct horse battery".into(),
            first_name: "Ana".into(),
            last_name: "Lima".into(),
            time_zone: None,
        },
    )
    .await
    .unwrap();
    Actor::User { user_id: u.user.id }
}

/// The 64-character secret after `marker` in a mail of the outbox, waiting for
/// mail sent in the background.
async fn mailed(dir: &tempfile::TempDir, marker: &str) -> String {
    for _ in 0..500 {
        let mails = std::fs::read_dir(dir.path().join("outbox"))
            .into_iter()
            .flatten()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap());
        for text in mails {
            let text = text.replace("=\r\n", "").replace("=3D", "=");
            if let Some(rest) = text.split(marker).nth(1) {
                return rest.chars().take(64).collect();
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no mail with {marker}");
}

async fn acme(ctx: &Ctx, admin: &Actor) -> leadsy::companies::Company {
    let input = leadsy::companies::CreateCompany {
        name: "Acme".into(),
    };
    leadsy::companies::create(ctx, admin, input).await.unwrap()
}

#[tokio::test]
async fn progress_walks_the_steps_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(&dir).await;
    let ana = user(&ctx, "ana@example.com").await;
    let step = |ctx: Ctx, a: Actor| async move {
        leadsy::onboarding::progress(&ctx, &a).await.unwrap().step
    };
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Profile);
    let profile = leadsy::onboarding::Profile {
        first_name: "Ana".into(),
        last_name: "Lima".into(),
    };
    leadsy::onboarding::save_profile(&ctx, &ana, profile)
        .await
        .unwrap();
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Company);
    let company = acme(&ctx, &ana).await;
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Terms);
    let terms = leadsy::legal::current(&ctx).await.unwrap();
    let id = ana.user_id().unwrap();
    let sign = leadsy::onboarding::ApproveTerms {
        legal_term_id: terms.id,
    };
    leadsy::onboarding::approve_terms(&ctx, &ana, id, sign)
        .await
        .unwrap();
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Plan);
    let plan = leadsy::memberships::AttachMembership { membership_id: 1 };
    let admin = Member::check(&ctx.db, &ana, company.id).await.unwrap();
    leadsy::memberships::attach(&ctx, &admin, plan)
        .await
        .unwrap();
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Finish);
    let done = leadsy::onboarding::FinishOnboarding {
        onboarding_completed: true,
    };
    leadsy::onboarding::finish(&ctx, &ana, id, done)
        .await
        .unwrap();
    assert_eq!(step(ctx.clone(), ana.clone()).await, Step::Done);

    leadsy::legal::publish(&ctx, &Actor::Operator, "2099-01", "Terms", "Newer.")
        .await
        .unwrap();
    let p = leadsy::onboarding::progress(&ctx, &ana).await.unwrap();
    assert!(p.must_resign_terms());
    assert_eq!(p.step, Step::Terms);
}

#[tokio::test]
async fn one_call_onboarding_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(&dir).await;
    let (token, _) = leadsy::global::create_platform_token(&ctx, &Actor::Operator, "t")
        .await
        .unwrap();
    let platform = Actor::Platform { token_id: token.id };
    assert!(
        matches!(
            leadsy::global::create_platform_token(&ctx, &platform, "more").await,
            Err(Error::Forbidden(_))
        ),
        "only the operator makes platform tokens"
    );
    let input = |email: &str, company: &str| leadsy::global::OnboardInput {
        email_id: Some(email.into()),
        first_name: Some("Cleo".into()),
        last_name: Some("Ray".into()),
        company_name: Some(company.into()),
    };
    leadsy::global::onboard(&ctx, &platform, input("ceo@acme.io", "Acme"))
        .await
        .unwrap();
    let err = leadsy::global::onboard(&ctx, &platform, input("new@other.io", "acme"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "WORKFLOW_NAME_ALREADY_REGISTERED");
    let orphan: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'new@other.io'")
            .fetch_optional(&ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(
        orphan, None,
        "the user of a failed onboarding was rolled back"
    );
    let ana = user(&ctx, "ana@example.com").await;
    assert!(matches!(
        leadsy::global::onboard(&ctx, &ana, input("x@y.io", "Y")).await,
        Err(Error::Unauthorized(_))
    ));
}

#[tokio::test]
async fn a_reset_token_works_once_even_when_used_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(&dir).await;
    user(&ctx, "ana@example.com").await;
    leadsy::users::request_password_reset(&ctx, "ana@example.com")
        .await
        .unwrap();
    let token = mailed(&dir, "/password/reset?token=").await;
    let attempts = (0..4).map(|i| {
        let ctx = ctx.clone();
        let token = token.clone();
        tokio::spawn(async move {
            leadsy::users::reset_password(&ctx, &token, format!("new password {i}")).await
        })
    });
    let mut ok = 0;
    for a in attempts {
        if a.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
}

#[tokio::test]
async fn tenancy_hides_other_companies_and_roles_limit_actions() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(&dir).await;
    let ana = user(&ctx, "ana@example.com").await;
    let eve = user(&ctx, "eve@example.com").await;
    let acme = acme(&ctx, &ana).await;
    assert!(
        matches!(
            Member::check(&ctx.db, &eve, acme.id).await,
            Err(Error::NotFound(_))
        ),
        "only a membership check makes the proof a company operation takes"
    );
    let admin = Member::check(&ctx.db, &ana, acme.id).await.unwrap();
    let rep: i64 = sqlx::query_scalar("SELECT id FROM accesses WHERE key = 'sales_rep'")
        .fetch_one(&ctx.db.pool)
        .await
        .unwrap();
    let add = leadsy::accesses::CreateUserAccess {
        company_id: acme.id,
        access_id: rep,
    };
    let strangers =
        leadsy::accesses::create_for_user(&ctx, &ana, eve.user_id().unwrap(), add).await;
    assert!(
        matches!(strangers, Err(Error::Missing { ref code, .. }) if code == "USER_NOT_FOUND"),
        "a stranger is invited, not added: {strangers:?}"
    );
    let invite = leadsy::invitations::CreateInvitation {
        email: "eve@example.com".into(),
        access_id: rep,
    };
    let invitation = leadsy::invitations::create(&ctx, &admin, invite)
        .await
        .unwrap();
    let unverified = leadsy::invitations::accept_offered(&ctx, &eve, invitation.id).await;
    assert!(
        matches!(unverified, Err(Error::Denied { ref code, .. }) if code == "EMAIL_NOT_VERIFIED"),
        "{unverified:?}"
    );
    leadsy::users::vouch_email(&ctx, &Actor::Operator, eve.user_id().unwrap())
        .await
        .unwrap();
    leadsy::invitations::accept_offered(&ctx, &eve, invitation.id)
        .await
        .unwrap();
    let rep = Member::check(&ctx.db, &eve, acme.id).await.unwrap();
    assert!(leadsy::companies::get(&ctx, &rep).await.is_ok());
    assert!(matches!(
        leadsy::companies::remove_avatar(&ctx, &rep).await,
        Err(Error::Forbidden(_))
    ));
}
