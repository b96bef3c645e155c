//! Webhooks over HTTP against a real receiver that verifies every delivery with
//! the published Standard Webhooks library (Python `standardwebhooks`, installed by
//! `scripts/setup.sh`): who may manage endpoints, which URLs they may name, signed
//! deliveries of the subscribed events only, retries with the same `webhook-id`,
//! `Retry-After`, 410, rotation, the log and replays.

use crate::receiver::Receiver;
use crate::support::{Team, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn delivering() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.webhook_allow_private = true;
        c.webhook_retry_delays = vec![1, 1, 1];
    })
    .await;
    leadsy_server::spawn_webhook_worker(&app.state.ctx);
    app
}

fn hooks(t: &Team) -> String {
    format!("/api/v1/companies/{}/webhooks", t.company)
}

#[tokio::test]
async fn endpoints_are_for_admins_and_may_not_point_inside_the_network() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let body = json!({"url": "https://hooks.example.com/leadsy", "events": ["lead.created"]});
    for token in [&t.manager, &t.rep1.1] {
        app.post(&hooks(&t), Some(token), body.clone())
            .await
            .assert_error(403, "FORBIDDEN");
        app.get(&hooks(&t), Some(token))
            .await
            .assert_error(403, "FORBIDDEN");
    }
    app.post(&hooks(&t), Some(&t.outsider), body.clone())
        .await
        .assert_error(404, "NOT_FOUND");
    for url in [
        "http://127.0.0.1:3000/api/v1/users",
        "http://localhost:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.7/",
        "file:///etc/passwd",
        "https://user:secret@hooks.example.com/",
    ] {
        let r = app
            .post(
                &hooks(&t),
                Some(&t.admin),
                json!({"url": url, "events": ["lead.created"]}),
            )
            .await;
        r.assert_error(422, "VALIDATION_FAILED");
        assert!(
            r.body["error"]["fields"]["url"].is_array(),
            "{url}: {}",
            r.body
        );
    }
    app.post(
        &hooks(&t),
        Some(&t.admin),
        json!({"url": "https://hooks.example.com/", "events": []}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let unknown = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": "https://hooks.example.com/", "events": ["lead.exploded"]}),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );

    let made = app.post(&hooks(&t), Some(&t.admin), body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let secret = made.body["webhook"]["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    let id = made.body["webhook"]["id"].as_i64().unwrap();
    let one = app
        .get(&format!("{}/{id}", hooks(&t)), Some(&t.admin))
        .await;
    assert!(
        one.body["webhook"].get("secret").is_none(),
        "the secret is shown once"
    );
    let list = app.get(&hooks(&t), Some(&t.admin)).await;
    assert!(!list.raw.contains(secret), "nor in the list");
    let other = format!("/api/v1/companies/{}/webhooks/{id}", t.other_company);
    app.get(&other, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    let rotated = app
        .post(
            &format!("{}/{id}/rotate_secret", hooks(&t)),
            Some(&t.admin),
            json!({}),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    assert_ne!(rotated.body["webhook"]["secret"].as_str().unwrap(), secret);
    let r = app
        .delete(&format!("{}/{id}", hooks(&t)), Some(&t.admin))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn deliveries_are_signed_retried_with_one_id_and_only_of_subscribed_events() {
    let app = delivering().await;
    let t = app.team().await;
    let receiver = Receiver::start(app.dir.path(), 2);
    let made = app
        .post(&hooks(&t), Some(&t.admin), json!({"url": format!("{}/in", receiver.url), "events": ["lead.created", "lead.updated"], "description": "CRM sync"}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    receiver.trust(&[made.body["webhook"]["secret"].as_str().unwrap()]);
    let webhook = made.body["webhook"]["id"].as_i64().unwrap();
    let mut leads = Vec::new();
    for i in 0..8 {
        leads.push(
            app.lead(
                &t.manager,
                t.company,
                json!({"first_name": format!("Lead {i}")}),
            )
            .await,
        );
    }
    let lead = &leads[0];
    let path = format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]);
    let won = app.stage_id("won").await;
    app.put(&path, Some(&t.manager), json!({"stage_id": won}))
        .await;
    app.post(
        &format!("{path}/notes"),
        Some(&t.manager),
        json!({"body": "not subscribed"}),
    )
    .await;

    let got = receiver
        .until("9 events each delivered", |got| {
            let ok: std::collections::HashSet<&str> = got
                .iter()
                .filter(|r| r["status"] == 204)
                .map(|r| r["id"].as_str().unwrap())
                .collect();
            ok.len() == 9
        })
        .await;
    assert!(
        got.iter().all(|r| r["valid"] == true),
        "every signature verifies: {got:?}"
    );
    assert!(
        got.iter().all(|r| r["type"] != "note.created"),
        "no unsubscribed event"
    );
    assert!(
        got.iter().any(|r| r["type"] == "lead.stage_changed"),
        "a stage change is a lead update"
    );
    let retried: Vec<&Value> = got.iter().filter(|r| r["attempt"] == 2).collect();
    assert!(!retried.is_empty(), "some first attempts failed on purpose");
    for r in &retried {
        assert!(
            got.iter()
                .any(|f| f["id"] == r["id"] && f["attempt"] == 1 && f["status"] == 500),
            "same webhook-id on the retry"
        );
    }

    // The log: every attempt with its status, and a replay sends the same message again.
    let log = app
        .get(
            &format!("{}/{webhook}/deliveries", hooks(&t)),
            Some(&t.admin),
        )
        .await;
    assert_eq!(log.body["meta"]["total"], 9, "{}", log.body);
    let delivery = log.body["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["attempts"] == 2)
        .expect("a retried delivery")
        .clone();
    assert_eq!(delivery["status"], "delivered");
    let one = app
        .get(
            &format!("{}/{webhook}/deliveries/{}", hooks(&t), delivery["id"]),
            Some(&t.admin),
        )
        .await;
    let statuses: Vec<i64> = one.body["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 204]);
    assert!(one.body["attempts"][0]["latency_ms"].is_i64());
    let replay = app
        .post(
            &format!(
                "{}/{webhook}/deliveries/{}/replay",
                hooks(&t),
                delivery["id"]
            ),
            Some(&t.admin),
            json!({}),
        )
        .await;
    assert_eq!(replay.status, StatusCode::ACCEPTED, "{}", replay.body);
    let id = delivery["message_id"].as_str().unwrap().to_string();
    receiver
        .until("the replay arrives", |got| {
            got.iter().filter(|r| r["id"] == id.as_str()).count() == 3
        })
        .await;
    app.get(
        &format!("{}/{webhook}/deliveries", hooks(&t)),
        Some(&t.manager),
    )
    .await
    .assert_error(403, "FORBIDDEN");
}

#[tokio::test]
async fn retry_after_gone_and_rotation_are_honoured() {
    let app = delivering().await;
    let t = app.team().await;
    let receiver = Receiver::start(app.dir.path(), 0);
    let busy = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": format!("{}/busy", receiver.url), "events": ["note.created"]}),
        )
        .await;
    let gone = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": format!("{}/gone", receiver.url), "events": ["note.created"]}),
        )
        .await;
    let old = busy.body["webhook"]["secret"].as_str().unwrap().to_string();
    receiver.trust(&[&old, gone.body["webhook"]["secret"].as_str().unwrap()]);
    let lead = app
        .lead(&t.manager, t.company, json!({"first_name": "Noted"}))
        .await;
    let notes = format!("/api/v1/companies/{}/leads/{}/notes", t.company, lead["id"]);
    app.post(&notes, Some(&t.manager), json!({"body": "one"}))
        .await;
    let got = receiver
        .until("busy delivered after its Retry-After", |got| {
            got.iter()
                .any(|r| r["path"] == "/busy" && r["status"] == 204)
        })
        .await;
    let busy_at: Vec<f64> = got
        .iter()
        .filter(|r| r["path"] == "/busy")
        .map(|r| r["at"].as_f64().unwrap())
        .collect();
    assert!(
        busy_at[1] - busy_at[0] >= 2.5,
        "the retry waited for Retry-After (3 s): {busy_at:?}"
    );
    assert_eq!(
        got.iter().filter(|r| r["path"] == "/gone").count(),
        1,
        "410 is not retried"
    );
    let gone_id = gone.body["webhook"]["id"].as_i64().unwrap();
    let off = app
        .get(&format!("{}/{gone_id}", hooks(&t)), Some(&t.admin))
        .await;
    assert_eq!(off.body["webhook"]["enabled"], false, "{}", off.body);
    assert!(off.body["webhook"]["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("410"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app
        .mails_to("admin@acme.test")
        .iter()
        .any(|m| m.contains("turned off"))
    {
        assert!(Instant::now() < deadline, "the admins are told");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // After a rotation both secrets sign: a receiver that knows either one accepts.
    let busy_id = busy.body["webhook"]["id"].as_i64().unwrap();
    let rotated = app
        .post(
            &format!("{}/{busy_id}/rotate_secret", hooks(&t)),
            Some(&t.admin),
            json!({}),
        )
        .await;
    let new = rotated.body["webhook"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    receiver.trust(&[&new]);
    app.post(&notes, Some(&t.manager), json!({"body": "two"}))
        .await;
    let got = receiver
        .until("the second note arrives", |got| {
            got.iter()
                .filter(|r| r["path"] == "/busy" && r["status"] == 204)
                .count()
                == 2
        })
        .await;
    let last = got.iter().rev().find(|r| r["path"] == "/busy").unwrap();
    assert_eq!(
        last["signature"].as_str().unwrap().split(' ').count(),
        2,
        "old and new both sign: {last}"
    );
    assert_eq!(last["valid"], true);
}

#[tokio::test]
async fn an_endpoint_failing_past_the_give_up_time_is_turned_off_and_its_admins_told() {
    // The product gives up after 5 days; here after 3 seconds of failing.
    let app = TestApp::spawn_with(|c| {
        c.webhook_allow_private = true;
        c.webhook_retry_delays = vec![1; 20];
        c.webhook_give_up_secs = 3;
    })
    .await;
    leadsy_server::spawn_webhook_worker(&app.state.ctx);
    let t = app.team().await;
    let receiver = Receiver::start(app.dir.path(), 0);
    let made = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": format!("{}/down", receiver.url), "events": ["lead.created"]}),
        )
        .await;
    receiver.trust(&[made.body["webhook"]["secret"].as_str().unwrap()]);
    let id = made.body["webhook"]["id"].as_i64().unwrap();
    for name in ["First", "Second"] {
        app.lead(&t.manager, t.company, json!({"first_name": name}))
            .await;
    }
    let endpoint = format!("{}/{id}", hooks(&t));
    let deadline = Instant::now() + Duration::from_secs(30);
    let off = loop {
        let now = app.get(&endpoint, Some(&t.admin)).await;
        if now.body["webhook"]["enabled"] == false {
            break now;
        }
        assert!(Instant::now() < deadline, "turned off: {}", now.body);
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        off.body["webhook"]["disabled_reason"],
        "every delivery failed for 3 seconds"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app
        .mails_to("admin@acme.test")
        .iter()
        .any(|m| m.contains("turned off") && m.contains("/down"))
    {
        assert!(Instant::now() < deadline, "the admins are mailed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = app
        .get(&format!("{endpoint}/deliveries"), Some(&t.admin))
        .await;
    let statuses: Vec<&str> = log.body["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "failed"], "nothing left pending");
    // An attempt in flight when it was turned off may still land; then nothing.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let tried = receiver.received().len();
    assert!(tried >= 3, "it kept trying until then: {tried} attempts");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        receiver.received().len(),
        tried,
        "nothing is sent to an endpoint turned off"
    );

    // Turned back on and replayed, the failed deliveries go out again.
    let on = app
        .put(&endpoint, Some(&t.admin), json!({"enabled": true}))
        .await;
    assert_eq!(on.body["webhook"]["enabled"], true, "{}", on.body);
    assert_eq!(on.body["webhook"]["disabled_reason"], Value::Null);
    let replayed = app
        .post(
            &format!("{endpoint}/replay_failed"),
            Some(&t.admin),
            json!({}),
        )
        .await;
    assert_eq!(replayed.status, StatusCode::ACCEPTED, "{}", replayed.body);
    receiver
        .until("the replays are attempted", |got| got.len() >= tried + 2)
        .await;
}

#[tokio::test]
async fn the_settings_page_adds_an_endpoint_and_shows_its_secret_once() {
    use crate::browser::{location, refused, Browser};
    use leadsy_app::rpc::webhooks::AddWebhook;
    use leptos::server_fn::ServerFn;
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.onboarded(&t.admin).await;
    let mut b = Browser::new(&app);
    b.log_in("admin@acme.test").await;
    let company = t.company.to_string();
    let form = [
        ("company_id", company.as_str()),
        ("url", "https://hooks.example.com/in"),
        ("description", "Our CRM"),
        ("events[0]", "lead.created"),
        ("events[4]", "note.created"),
    ];
    let r = b.post(AddWebhook::PATH, "/settings/webhooks", &form).await;
    assert_eq!(location(&r), "/settings/webhooks", "{}", r.raw);
    let secret: String = sqlx::query_scalar("SELECT secret FROM webhooks")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    let page = b.get("/settings/webhooks").await;
    assert!(
        page.raw.contains("webhook-secret") && page.raw.contains(&secret),
        "shown once"
    );
    assert!(page.raw.contains("hooks.example.com/in"));
    let again = b.get("/settings/webhooks").await;
    assert!(!again.raw.contains(&secret), "and never again");
    let events: String = sqlx::query_scalar("SELECT events FROM webhooks")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(events, r#"["lead.created","note.created"]"#);

    let inside = [
        ("company_id", company.as_str()),
        ("url", "http://127.0.0.1:22/"),
        ("events[0]", "lead.created"),
    ];
    let r = b
        .post(AddWebhook::PATH, "/settings/webhooks", &inside)
        .await;
    let page = refused(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("private network"), "the refusal says why");
    assert!(
        page.contains("http://127.0.0.1:22/"),
        "what was typed comes back"
    );

    app.onboarded(&t.rep1.1).await;
    let mut rep = Browser::new(&app);
    rep.log_in("rep1@acme.test").await;
    let page = rep.get("/settings/webhooks").await;
    assert!(page
        .raw
        .contains("Only admins can see and change webhooks."));
    assert!(!page.raw.contains("hooks.example.com"));
}

#[tokio::test]
async fn hostile_callers_and_bodies_are_refused_and_write_nothing() {
    use crate::browser::Browser;
    use leadsy_app::rpc::webhooks::AddWebhook;
    use leptos::server_fn::ServerFn;
    let app = delivering().await;
    let t = app.team().await;
    let receiver = Receiver::start(app.dir.path(), 0);
    app.onboarded(&t.admin).await;
    let mut b = Browser::new(&app);
    b.log_in("admin@acme.test").await;
    let company = t.company.to_string();
    let form = [
        ("company_id", company.as_str()),
        ("url", "https://hooks.example.com/in"),
        ("events[0]", "lead.created"),
    ];
    let r = b
        .post_from(
            Some("https://evil.example"),
            AddWebhook::PATH,
            "/settings/webhooks",
            &form,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a cross-site form is refused"
    );
    let huge = "x".repeat(2_001);
    for body in [
        json!({"url": format!("https://hooks.example.com/{huge}"), "events": ["lead.created"]}),
        json!({"url": "https://hooks.example.com/", "events": ["lead.created"], "description": huge}),
        json!({"url": "https://hooks.example.com/", "events": ["lead.created"], "secret": "whsec_mine"}),
    ] {
        let r = app.post(&hooks(&t), Some(&t.admin), body).await;
        r.assert_error(422, "VALIDATION_FAILED");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhooks")
        .fetch_one(&app.state.ctx.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing refused was written");

    // Two endpoints: a delivery of one is not found through the other, nor by a rep.
    let first = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": format!("{}/a", receiver.url), "events": ["lead.created"]}),
        )
        .await;
    let second = app
        .post(
            &hooks(&t),
            Some(&t.admin),
            json!({"url": format!("{}/b", receiver.url), "events": ["note.created"]}),
        )
        .await;
    receiver.trust(&[first.body["webhook"]["secret"].as_str().unwrap()]);
    app.lead(&t.manager, t.company, json!({"first_name": "Hooked"}))
        .await;
    let (a, b2) = (
        first.body["webhook"]["id"].as_i64().unwrap(),
        second.body["webhook"]["id"].as_i64().unwrap(),
    );
    receiver.until("the delivery", |got| !got.is_empty()).await;
    let log = app
        .get(&format!("{}/{a}/deliveries", hooks(&t)), Some(&t.admin))
        .await;
    let delivery = log.body["deliveries"][0]["id"].as_i64().unwrap();
    app.get(
        &format!("{}/{b2}/deliveries/{delivery}", hooks(&t)),
        Some(&t.admin),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.post(
        &format!("{}/{b2}/deliveries/{delivery}/replay", hooks(&t)),
        Some(&t.admin),
        json!({}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.post(
        &format!("{}/{a}/deliveries/{delivery}/replay", hooks(&t)),
        Some(&t.rep1.1),
        json!({}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.post(&format!("{}/{a}/replay_failed", hooks(&t)), None, json!({}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    let other = format!(
        "/api/v1/companies/{}/webhooks/{a}/deliveries",
        t.other_company
    );
    app.get(&other, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
}
