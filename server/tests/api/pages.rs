//! The pages and their server functions without JavaScript: plain form posts get
//! redirects, errors come back in the redirect, guards send users where they belong.

use crate::support::TestApp;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use leadsy_app::rpc::account::{LogIn, SignUp};
use leadsy_app::rpc::onboarding::{
    ChoosePlan, CreateCompany, FinishOnboarding, SaveProfile, SignTerms,
};
use leptos::server_fn::ServerFn;

struct Browser<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser { app, cookie: None }
    }

    fn remember(&mut self, headers: &HeaderMap) {
        if let Some(c) = headers.get(header::SET_COOKIE) {
            let c = c.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = Some(c);
        }
    }

    async fn get(&mut self, path: &str) -> crate::support::Reply {
        let mut req = Request::builder()
            .uri(path)
            .header(header::ACCEPT, "text/html");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        let r = self.app.send(req.body(Body::empty()).unwrap()).await;
        self.remember(&r.headers);
        r
    }

    /// A form post as a browser without WASM sends it.
    async fn post(
        &mut self,
        action: &str,
        from: &str,
        form: &[(&str, &str)],
    ) -> crate::support::Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace(' ', "+").replace('@', "%40")))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::builder()
            .method("POST")
            .uri(action)
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, format!("http://127.0.0.1:3000{from}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        let r = self.app.send(req.body(Body::from(body)).unwrap()).await;
        self.remember(&r.headers);
        r
    }
}

fn location(r: &crate::support::Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
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
    let back = location(&unticked);
    assert!(
        back.starts_with("http://127.0.0.1:3000/onboarding/terms?") && back.contains("__err="),
        "{back}"
    );
    let shown = b
        .get(back.trim_start_matches("http://127.0.0.1:3000"))
        .await;
    assert!(
        shown.body.as_str().unwrap().contains("must be ticked"),
        "the error is shown without JS"
    );

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
    assert_eq!(location(&r), "/onboarding/finish");
    let r = b
        .post(FinishOnboarding::PATH, "/onboarding/finish", &[])
        .await;
    assert_eq!(location(&r), "/");

    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.as_str().unwrap().contains("Acme"));
    assert_eq!(
        location(&b.get("/onboarding/profile").await),
        "/",
        "finished users leave the wizard"
    );

    leadsy::legal::publish(
        &app.state.ctx,
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
    assert_eq!(r.status, StatusCode::FOUND);
    let back = location(&r);
    assert!(back.contains("__err="), "{back}");
    let page = b
        .get(back.trim_start_matches("http://127.0.0.1:3000"))
        .await;
    assert!(page
        .body
        .as_str()
        .unwrap()
        .contains("the email or password is incorrect"));
    assert_eq!(location(&b.get("/").await), "/login", "still signed out");
}

#[tokio::test]
async fn the_board_forms_work_without_wasm() {
    use leadsy_app::rpc::board::MoveLead;
    use leadsy_app::rpc::leads::{AddNote, SaveLead};
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mut b = Browser::new(&app);
    let login = b
        .post(
            LogIn::PATH,
            "/login",
            &[
                ("email", "rep1@acme.test"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::FOUND);
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
    assert_eq!(location(&r), "/board");
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
            &[
                ("company_id", &company),
                ("form[first_name]", "Form"),
                ("form[last_name]", "Lead"),
                ("form[company_name]", ""),
                ("form[email]", "form@lead.test"),
                ("form[phone]", ""),
                ("form[postal_code]", ""),
                ("form[stage_id]", ""),
                ("form[source_id]", ""),
                ("form[campaign_id]", ""),
                ("form[assigned_user_access_id]", ""),
                ("form[value]", "1,250.50"),
            ],
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
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(location(&r).contains("__err="), "{}", location(&r));
}
