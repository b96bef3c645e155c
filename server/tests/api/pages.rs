//! The pages and their server functions without JavaScript: plain form posts get
//! redirects, errors come back in the redirect, guards send users where they belong.

use crate::browser::{location, refused, Browser};
use crate::support::TestApp;
use axum::http::StatusCode;
use leadsy_app::rpc::account::{LogIn, SignUp};
use leadsy_app::rpc::onboarding::{
    ChoosePlan, CreateCompany, FinishOnboarding, SaveProfile, SignTerms,
};
use leadsy_app::rpc::team::Invite;
use leptos::server_fn::ServerFn;

/// The new lead form as a browser posts it, worth 1,250.50.
fn new_lead_form<'a>(company: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("company_id", company),
        ("form[first_name]", "Form"),
        ("form[last_name]", "Lead"),
        ("form[company_name]", ""),
        ("form[email]", email),
        ("form[phone]", ""),
        ("form[postal_code]", ""),
        ("form[stage_id]", ""),
        ("form[source_id]", ""),
        ("form[campaign_id]", ""),
        ("form[assigned_user_access_id]", ""),
        ("form[value]", "1,250.50"),
    ]
}

#[tokio::test]
async fn the_whole_journey_works_with_plain_form_posts() {
    let app = TestApp::spawn().await;
    let mut b = Browser::new(&app);

    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(location(&home), "/login");
    let login = b.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.as_str().unwrap().contains(LogIn::PATH));

    let r = b
        .post(
            SignUp::PATH,
            "/signup",
            &[
                ("email", "ana@example.com"),
                ("password", "correct horse battery"),
                ("first_name", "Ana"),
                ("last_name", "Lima"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(location(&r), "/onboarding");
    let cookie = b.cookie.clone().expect("a session cookie");
    assert!(cookie.starts_with("leadsy_session="));

    assert_eq!(location(&b.get("/onboarding").await), "/onboarding/profile");
    assert_eq!(
        location(&b.get("/onboarding/plan").await),
        "/onboarding/profile",
        "no skipping ahead"
    );
    assert_eq!(
        location(&b.get("/").await),
        "/onboarding/profile",
        "unfinished users are brought back"
    );

    let r = b
        .post(
            SaveProfile::PATH,
            "/onboarding/profile",
            &[("first_name", "Ana"), ("last_name", "Lima")],
        )
        .await;
    assert_eq!(location(&r), "/onboarding/company");
    let r = b
        .post(
            CreateCompany::PATH,
            "/onboarding/company",
            &[("name", "Acme")],
        )
        .await;
    assert_eq!(location(&r), "/onboarding/terms");

    let terms = b.get("/onboarding/terms").await;
    assert_eq!(terms.status, StatusCode::OK);
    let term_id = leadsy::legal::current(&app.state.ctx)
        .await
        .unwrap()
        .id
        .to_string();
    let unticked = b
        .post(
            SignTerms::PATH,
            "/onboarding/terms",
            &[("legal_term_id", &term_id)],
        )
        .await;
    let shown = refused(&unticked, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        shown.contains("must be ticked"),
        "the error is shown without JS"
    );
    assert!(shown.contains("Terms of Service"), "on the terms page");

    let r = b
        .post(
            SignTerms::PATH,
            "/onboarding/terms",
            &[("legal_term_id", &term_id), ("agree", "on")],
        )
        .await;
    assert_eq!(location(&r), "/onboarding/plan");
    let company = leadsy::companies::list(
        &app.state.ctx,
        &leadsy::Actor::User { user_id: 1 },
        Default::default(),
    )
    .await
    .unwrap()
    .0[0]
        .id
        .to_string();
    let r = b
        .post(
            ChoosePlan::PATH,
            "/onboarding/plan",
            &[("company_id", &company), ("membership_id", "1")],
        )
        .await;
    assert_eq!(
        location(&r),
        "/onboarding/team",
        "then the optional team step"
    );
    let team = b.get("/onboarding/team").await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.as_str().unwrap().contains("Invite teammates"));
    let r = b
        .post(
            Invite::PATH,
            "/onboarding/team",
            &[
                ("company_id", &company),
                ("email", "teammate@acme.test"),
                ("access_id", "3"),
                ("back", "/onboarding/team"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/onboarding/team");
    let team = b.get("/onboarding/team").await;
    assert!(team.body.as_str().unwrap().contains("teammate@acme.test"));
    let r = b
        .post(FinishOnboarding::PATH, "/onboarding/finish", &[])
        .await;
    assert_eq!(location(&r), "/");

    // A new company's admin lands on what to set up first.
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.raw.contains("getting-started"), "{}", home.raw);
    assert_eq!(
        location(&b.get("/onboarding/profile").await),
        "/",
        "finished users leave the wizard"
    );

    leadsy::legal::publish(
        &app.state.ctx,
        &leadsy::Actor::Operator,
        "2026-12",
        "Leadsy Terms of Service",
        "Newer terms.",
    )
    .await
    .unwrap();
    assert_eq!(
        location(&b.get("/").await),
        "/terms",
        "a newer version must be signed first"
    );
    let resign = b.get("/terms").await;
    assert!(resign.body.as_str().unwrap().contains("2026-12"));
}

#[tokio::test]
async fn a_wrong_password_comes_back_with_a_clear_error() {
    let app = TestApp::spawn().await;
    app.user("ana@example.com").await;
    let mut b = Browser::new(&app);
    let r = b
        .post(
            LogIn::PATH,
            "/login",
            &[
                ("email", "ana@example.com"),
                ("password", "not my password"),
            ],
        )
        .await;
    let page = refused(&r, StatusCode::UNAUTHORIZED);
    assert!(page.contains("the email or password is incorrect"));
    assert!(
        page.contains("value=\"ana@example.com\""),
        "the email comes back as typed"
    );
    assert!(!page.contains("not my password"), "a password never does");
    assert_eq!(location(&b.get("/").await), "/login", "still signed out");
}

#[tokio::test]
async fn the_board_forms_work_without_wasm() {
    use leadsy_app::rpc::board::MoveLead;
    use leadsy_app::rpc::leads::{AddNote, SaveLead};
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mut b = Browser::new(&app);
    b.log_in("rep1@acme.test").await;
    let lead = app
        .lead(
            &t.rep1.1,
            t.company,
            serde_json::json!({"first_name": "Plain"}),
        )
        .await;
    let (company, id) = (t.company.to_string(), lead["id"].to_string());
    let won = app.stage_id("won").await.to_string();

    let r = b
        .post(
            MoveLead::PATH,
            "/board",
            &[
                ("company_id", &company),
                ("lead_id", &id),
                ("stage_id", &won),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(
        location(&r).contains("/board"),
        "back where it was sent from: {}",
        location(&r)
    );
    let stage: i64 = sqlx::query_scalar("SELECT stage_id FROM leads WHERE id = $1")
        .bind(lead["id"].as_i64().unwrap())
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(stage.to_string(), won);

    let r = b
        .post(
            AddNote::PATH,
            "/board",
            &[
                ("company_id", &company),
                ("lead_id", &id),
                ("body", "Left a voicemail"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("/leads/{id}"));
    let r = b
        .post(
            SaveLead::PATH,
            "/leads/new",
            &new_lead_form(&company, "form@lead.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(location(&r).starts_with("/leads/"), "{}", location(&r));
    let value: i64 =
        sqlx::query_scalar("SELECT value_cents FROM leads WHERE email = 'form@lead.test'")
            .fetch_one(&app.state.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(value, 125050);

    // Another rep's lead is not found, and the error comes back to the page.
    let theirs = app
        .lead(
            &t.manager,
            t.company,
            serde_json::json!({"first_name": "Theirs", "assigned_user_access_id": t.rep2.0}),
        )
        .await;
    let r = b
        .post(
            MoveLead::PATH,
            "/board",
            &[
                ("company_id", &company),
                ("lead_id", &theirs["id"].to_string()),
                ("stage_id", &won),
            ],
        )
        .await;
    assert!(refused(&r, StatusCode::NOT_FOUND).contains("lead not found"));
}

#[tokio::test]
async fn the_settings_forms_work_without_wasm() {
    use leadsy_app::rpc::company::{ChangePlan, RenameCompany};
    use leadsy_app::rpc::process::{CreateQuestion, SaveCampaign, SaveCampaignOptions, SetCycles};
    use leadsy_app::rpc::routing::{CreateSource, CreateTerritory, ReorderSources};
    use leadsy_app::rpc::team::RemoveMember;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.admin).await;
    let mut b = Browser::new(&app);
    b.log_in("admin@acme.test").await;
    let company = t.company.to_string();
    let api = |path: &str| format!("/api/v1/companies/{}/{path}", t.company);
    for section in [
        "company",
        "team",
        "invitations",
        "sources",
        "territories",
        "questions",
        "campaigns",
        "cycles",
        "plan",
    ] {
        let page = b.get(&format!("/settings/{section}")).await;
        assert_eq!(page.status, StatusCode::OK, "{section}");
        assert!(
            page.body.as_str().unwrap().contains("Settings"),
            "{section}"
        );
    }

    for name in ["Web", "Fair"] {
        let r = b
            .post(
                CreateSource::PATH,
                "/settings/sources",
                &[("company_id", &company), ("name", name)],
            )
            .await;
        assert_eq!(location(&r), "/settings/sources");
    }
    let sources = app.get(&api("sources"), Some(&t.admin)).await;
    let ids: Vec<i64> = sources.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let order = format!("{},{}", ids[1], ids[0]);
    let r = b
        .post(
            ReorderSources::PATH,
            "/settings/sources",
            &[("company_id", &company), ("order", &order)],
        )
        .await;
    assert_eq!(location(&r), "/settings/sources");
    let sources = app.get(&api("sources"), Some(&t.admin)).await;
    assert_eq!(sources.body["sources"][0]["name"], "Fair");

    let (rep1, rep2) = (t.rep1.0.to_string(), t.rep2.0.to_string());
    let r = b
        .post(
            CreateTerritory::PATH,
            "/settings/territories",
            &[
                ("company_id", &company),
                ("name", "North"),
                ("postal_codes", "10115,%2010117%0A10119"),
                ("reps[]", &rep1),
                ("reps[]", &rep2),
            ],
        )
        .await;
    assert_eq!(location(&r), "/settings/territories");
    let territories = app.get(&api("territories"), Some(&t.admin)).await;
    let north = &territories.body["territories"][0];
    assert_eq!(north["postal_codes"].as_array().unwrap().len(), 3);
    assert_eq!(north["user_access_ids"].as_array().unwrap().len(), 2);
    let r = b
        .post(
            CreateTerritory::PATH,
            "/settings/territories",
            &[
                ("company_id", &company),
                ("name", "Nowhere"),
                ("postal_codes", "%3F%3F"),
            ],
        )
        .await;
    let page = refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("value=\"Nowhere\""),
        "a bad postal code comes back, filled in"
    );

    let r = b
        .post(
            SaveCampaign::PATH,
            "/settings/campaigns",
            &[
                ("company_id", &company),
                ("form[name]", "Spring"),
                ("form[source_id]", ""),
                ("form[status]", "active"),
                ("form[starts_on]", "2026-03-01"),
                ("form[ends_on]", ""),
            ],
        )
        .await;
    assert_eq!(location(&r), "/settings/campaigns");
    let campaign = app.get(&api("campaigns"), Some(&t.admin)).await.body["campaigns"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let r = b
        .post(
            CreateQuestion::PATH,
            "/settings/questions",
            &[
                ("company_id", &company),
                ("text", "Team size?"),
                ("kind", "single_choice"),
                ("options", "Small%0ALarge"),
                ("campaign_id", &campaign),
            ],
        )
        .await;
    assert_eq!(location(&r), "/settings/questions");
    let question = app.get(&api("questions"), Some(&t.admin)).await.body["questions"][0]["id"]
        .as_i64()
        .unwrap();
    let r = b
        .post(
            SaveCampaignOptions::PATH,
            "/settings/questions",
            &[
                ("company_id", &company),
                ("campaign_id", &campaign),
                (&format!("options[{question}]"), "1-10%0A11-50%0A51%2B"),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/settings/questions?campaign={campaign}")
    );
    let q = app
        .get(&api(&format!("questions/{question}")), Some(&t.admin))
        .await;
    assert_eq!(
        q.body["question"]["options"],
        serde_json::json!(["1-10", "11-50", "51+"])
    );

    let r = b
        .post(
            SetCycles::PATH,
            "/settings/cycles",
            &[("company_id", &company), ("enabled", "true")],
        )
        .await;
    assert_eq!(location(&r), "/settings/cycles");
    let r = b
        .post(
            RenameCompany::PATH,
            "/settings/company",
            &[("company_id", &company), ("name", "Acme Rockets")],
        )
        .await;
    assert_eq!(location(&r), "/settings/company");
    let growth: i64 = sqlx::query_scalar("SELECT id FROM memberships WHERE key = 'growth'")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let r = b
        .post(
            ChangePlan::PATH,
            "/settings/plan",
            &[
                ("company_id", &company),
                ("membership_id", &growth.to_string()),
            ],
        )
        .await;
    assert_eq!(location(&r), "/settings/plan");
    let c = app
        .get(&format!("/api/v1/companies/{}", t.company), Some(&t.admin))
        .await;
    assert_eq!(c.body["company"]["name"], "Acme Rockets");
    assert_eq!(c.body["company"]["cycles_enabled"], true);
    assert_eq!(c.body["company"]["membership"]["key"], "growth");

    let admin_ua: (i64, i64) = sqlx::query_as(
        "SELECT ua.id, ua.user_id FROM user_accesses ua JOIN users u ON u.id = ua.user_id \
         WHERE u.email = 'admin@acme.test'",
    )
    .fetch_one(&app.state.ctx.db.pool)
    .await
    .unwrap();
    let r = b
        .post(
            RemoveMember::PATH,
            "/settings/team",
            &[
                ("user_id", &admin_ua.1.to_string()),
                ("user_access_id", &admin_ua.0.to_string()),
            ],
        )
        .await;
    let page = refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("the last admin of a company cannot be removed"),
        "the last admin stays"
    );
}

#[tokio::test]
async fn a_sales_rep_reads_settings_without_forms() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.rep1.1).await;
    let mut b = Browser::new(&app);
    b.log_in("rep1@acme.test").await;
    for (section, who) in [
        ("team", "admins"),
        ("invitations", "admins"),
        ("sources", "managers and admins"),
        ("plan", "admins"),
    ] {
        let page = b.get(&format!("/settings/{section}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.body.as_str().unwrap();
        assert!(
            html.contains(&format!("Only {who} can change this.")),
            "{section}"
        );
        assert!(!html.contains("Send invitation"), "{section}");
    }
}

#[tokio::test]
async fn the_lead_form_says_how_to_upgrade_at_the_lead_limit() {
    use leadsy_app::rpc::leads::SaveLead;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.admin).await;
    sqlx::query("UPDATE memberships SET lead_limit = 0 WHERE key = 'starter'")
        .execute(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let mut b = Browser::new(&app);
    b.log_in("admin@acme.test").await;
    let company = t.company.to_string();
    let r = b
        .post(
            SaveLead::PATH,
            "/leads/new",
            &new_lead_form(&company, "over@limit.test"),
        )
        .await;
    let html = refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Starter plan holds up to 0 leads"), "{html}");
    assert!(
        html.contains("value=\"over@limit.test\""),
        "the form comes back filled in"
    );
    assert!(
        html.contains("href=\"/settings/plan\""),
        "the page links to the plans"
    );
}

/// Building a router (every test builds one) once rendered the whole app with a
/// process-wide flag up that left any page resource first polled meanwhile
/// pending for ever; pages must render while other routers are built.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built() {
    let app = TestApp::spawn().await;
    app.user("ana@example.com").await;
    let building = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let builder = {
        let (state, building) = (app.state.clone(), building.clone());
        std::thread::spawn(move || {
            while building.load(std::sync::atomic::Ordering::Relaxed) {
                drop(leadsy_server::app(state.clone()));
            }
        })
    };
    let mut b = Browser::new(&app);
    b.log_in("ana@example.com").await;
    for _ in 0..300 {
        let page = b.get("/").await;
        assert!(
            page.status.is_success() || page.status.is_redirection(),
            "{}",
            page.status
        );
    }
    building.store(false, std::sync::atomic::Ordering::Relaxed);
    builder.join().unwrap();
}
