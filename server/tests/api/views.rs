//! Saved views: a member's own or shared, named in the lead list as `view_id`,
//! never widening what the reader may see.

use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};

fn ids(r: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = r["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn views_are_saved_shared_and_read_through_the_sales_rep_rule() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let won = app.stage_id("won").await;
    let mut leads = Vec::new();
    for (name, rep, stage) in [
        ("Ada", t.rep1.0, won),
        ("Adam", t.rep2.0, won),
        ("Bob", t.rep1.0, 0),
    ] {
        let mut body = json!({"first_name": name, "assigned_user_access_id": rep});
        if stage != 0 {
            body["stage_id"] = json!(stage);
        }
        leads.push(
            app.lead(&t.admin, t.company, body).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let (ada, adam, bob) = (leads[0], leads[1], leads[2]);

    let r = app
        .post(
            &format!("{base}/views"),
            Some(&t.manager),
            json!({"name": "Won deals", "filter": {"stage_id": won}, "shared": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let shared = r.body["view"]["id"].as_i64().unwrap();
    assert_eq!(r.body["view"]["filter"]["stage_id"], won);
    let r = app
        .post(
            &format!("{base}/views"),
            Some(&t.rep1.1),
            json!({"name": "Mine: Ada", "filter": {"q": "  ada "}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let private = r.body["view"]["id"].as_i64().unwrap();
    assert_eq!(
        r.body["view"]["filter"]["q"], "ada",
        "the search is kept trimmed"
    );
    assert_eq!(r.body["view"]["shared"], false);

    let names = |r: &Value| -> Vec<String> {
        r["views"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(
            &app.get(&format!("{base}/views"), Some(&t.rep1.1))
                .await
                .body
        ),
        ["Mine: Ada", "Won deals"]
    );
    assert_eq!(
        names(
            &app.get(&format!("{base}/views"), Some(&t.rep2.1))
                .await
                .body
        ),
        ["Won deals"]
    );

    let list = |token: String, query: String| {
        let app = &app;
        let base = base.clone();
        async move {
            app.get(&format!("{base}/leads?{query}"), Some(&token))
                .await
        }
    };
    let r = list(t.manager.clone(), format!("view_id={shared}")).await;
    assert_eq!(ids(&r.body), vec![ada, adam]);
    let r = list(t.rep1.1.clone(), format!("view_id={shared}")).await;
    assert_eq!(
        ids(&r.body),
        vec![ada],
        "a shared view does not widen a rep's leads"
    );
    let r = list(t.rep1.1.clone(), format!("view_id={private}")).await;
    assert_eq!(ids(&r.body), vec![ada]);
    let r = list(t.manager.clone(), format!("view_id={shared}&q=adam")).await;
    assert_eq!(ids(&r.body), vec![adam], "given filters apply on top");
    let r = list(
        t.rep1.1.clone(),
        format!("view_id={shared}&stage_id={}", app.stage_id("new").await),
    )
    .await;
    assert_eq!(
        ids(&r.body),
        vec![bob],
        "a given filter wins over the view's"
    );
    let csv = app
        .get(
            &format!("{base}/leads/export?view_id={shared}"),
            Some(&t.manager),
        )
        .await;
    assert_eq!(csv.raw.lines().count(), 3, "the export takes the view too");

    list(t.rep2.1.clone(), format!("view_id={private}"))
        .await
        .assert_error(404, "NOT_FOUND");
    let other = format!(
        "/api/v1/companies/{}/leads?view_id={shared}",
        t.other_company
    );
    app.get(&other, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    list(t.manager.clone(), "view_id=999999".into())
        .await
        .assert_error(404, "NOT_FOUND");
    list(t.manager.clone(), "view_id=abc".into())
        .await
        .assert_error(422, "VALIDATION_FAILED");
}

#[tokio::test]
async fn bad_names_and_foreign_deletes_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/views", t.company);
    let shared = app
        .post(
            &base,
            Some(&t.manager),
            json!({"name": "Team", "shared": true}),
        )
        .await
        .body["view"]["id"]
        .as_i64()
        .unwrap();
    let private = app
        .post(&base, Some(&t.rep2.1), json!({"name": "Mine"}))
        .await
        .body["view"]["id"]
        .as_i64()
        .unwrap();
    app.post(&base, Some(&t.manager), json!({"name": " team "}))
        .await
        .assert_error(409, "VIEW_NAME_ALREADY_EXISTS");
    app.post(&base, Some(&t.manager), json!({"name": "  "}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &base,
        Some(&t.manager),
        json!({"name": "Long", "filter": {"q": "x".repeat(201)}}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    let r = app
        .post(&base, Some(&t.manager), json!({"name": "X", "owner": 1}))
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    app.post(&base, None, json!({"name": "X"}))
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");

    app.delete(&format!("{base}/{shared}"), Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&format!("{base}/{private}"), Some(&t.rep1.1))
        .await
        .assert_error(404, "NOT_FOUND");
    app.delete(&format!("{base}/{private}"), Some(&t.admin))
        .await
        .assert_error(404, "NOT_FOUND");
    let other = format!("/api/v1/companies/{}/views/{shared}", t.other_company);
    app.delete(&other, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    let listed = app.get(&base, Some(&t.manager)).await;
    assert_eq!(
        listed.body["views"].as_array().unwrap().len(),
        1,
        "{}",
        listed.body
    );

    assert_eq!(
        app.delete(&format!("{base}/{shared}"), Some(&t.admin))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("{base}/{private}"), Some(&t.rep2.1))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let log = app
        .get(
            &format!("/api/v1/companies/{}/events?kind=view.deleted", t.company),
            Some(&t.admin),
        )
        .await;
    assert_eq!(log.body["meta"]["total"], 2, "{}", log.body);
}
