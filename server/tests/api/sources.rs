use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn sources_in_priority_order_with_their_reps() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/sources", t.company);
    let mut ids = Vec::new();
    for name in ["Web", "Referral", "Trade show"] {
        let r = app
            .post(&base, Some(&t.manager), json!({"name": name}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["source"]["id"].as_i64().unwrap());
    }
    let s = &app.get(&base, Some(&t.rep1.1)).await.body["sources"];
    assert_eq!(s[0]["name"], "Web");
    assert_eq!(s[2]["priority"], 3);
    for key in ["id", "company_id", "name", "priority", "user_access_ids"] {
        assert!(s[0].get(key).is_some());
    }
    app.post(&base, Some(&t.manager), json!({"name": " web "}))
        .await
        .assert_error(409, "SOURCE_NAME_ALREADY_EXISTS");
    app.post(&base, Some(&t.manager), json!({"name": ""}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post(
        &base,
        Some(&t.manager),
        json!({"name": "X", "user_access_ids": [999999]}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(&base, Some(&t.rep1.1), json!({"name": "Mine"}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&base, Some(&t.outsider), json!({"name": "Theirs"}))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");

    let order = json!({"source_ids": [ids[2], ids[0], ids[1]]});
    let r = app
        .put(&format!("{base}/priority"), Some(&t.manager), order.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["sources"][0]["id"], ids[2]);
    assert_eq!(r.body["sources"][0]["priority"], 1);
    app.put(
        &format!("{base}/priority"),
        Some(&t.manager),
        json!({"source_ids": [ids[0], ids[1]]}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(&format!("{base}/priority"), Some(&t.rep1.1), order.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&format!("{base}/priority"), None, order)
        .await
        .assert_error(401, "UNAUTHORIZED");

    let reps = format!("{base}/{}/user_accesses", ids[0]);
    let r = app
        .post(&reps, Some(&t.manager), json!({"user_access_id": t.rep1.0}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["source"]["user_access_ids"], json!([t.rep1.0]));
    app.post(&reps, Some(&t.manager), json!({"user_access_id": 999999}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.post(&reps, Some(&t.rep1.1), json!({"user_access_id": t.rep1.0}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(
        &format!(
            "/api/v1/companies/{}/sources/{}/user_accesses",
            t.other_company, ids[0]
        ),
        Some(&t.outsider),
        json!({"user_access_id": t.rep1.0}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.delete(&format!("{reps}/{}", t.rep1.0), Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    assert_eq!(
        app.delete(&format!("{reps}/{}", t.rep1.0), Some(&t.manager))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.delete(&format!("{reps}/{}", t.rep1.0), Some(&t.manager))
        .await
        .assert_error(404, "NOT_FOUND");

    let lead = app
        .lead(
            &t.manager,
            t.company,
            json!({"first_name": "L", "source_id": ids[1]}),
        )
        .await;
    app.delete(&format!("{base}/{}", ids[1]), Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&format!("{base}/{}", ids[1]), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    assert_eq!(
        app.delete(&format!("{base}/{}", ids[1]), Some(&t.manager))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.delete(&format!("{base}/{}", ids[1]), Some(&t.manager))
        .await
        .assert_error(404, "NOT_FOUND");
    let kept = app
        .get(
            &format!("/api/v1/companies/{}/leads/{}", t.company, lead["id"]),
            Some(&t.manager),
        )
        .await;
    assert!(
        kept.body["lead"]["source_id"].is_null(),
        "the lead stays without a source"
    );
    let left = &app.get(&base, Some(&t.manager)).await.body["sources"];
    assert_eq!(
        left.as_array()
            .unwrap()
            .iter()
            .map(|s| s["priority"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2]
    );
}

#[tokio::test]
async fn territories_are_created_all_or_none() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/territories", t.company);
    let good = json!({"territories": [
        {"name": "North", "postal_codes": ["sw1a 1aa", "10001"], "user_access_ids": [t.rep1.0]},
        {"name": "South", "postal_codes": ["20001"], "user_access_ids": []}]});
    let r = app.post(&base, Some(&t.manager), good.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["territories"][0]["postal_codes"],
        json!(["SW1A1AA", "10001"])
    );
    assert_eq!(
        r.body["territories"][0]["user_access_ids"],
        json!([t.rep1.0])
    );
    let bad = json!({"territories": [
        {"name": "East", "postal_codes": ["30001"]},
        {"name": "West", "postal_codes": ["!!"], "user_access_ids": [999999]}]});
    let r = app.post(&base, Some(&t.manager), bad).await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(
        r.body["error"]["fields"]["territories[1].postal_codes"].is_array(),
        "{}",
        r.body
    );
    assert!(r.body["error"]["fields"]["territories[1].user_access_ids"].is_array());
    let listed = app.get(&base, Some(&t.rep2.1)).await;
    assert_eq!(
        listed.body["territories"].as_array().unwrap().len(),
        2,
        "East was not written"
    );
    app.post(&base, Some(&t.rep1.1), good.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&base, Some(&t.outsider), good.clone())
        .await
        .assert_error(404, "NOT_FOUND");
    app.post(&base, None, good)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");

    let north = format!("{base}/{}", listed.body["territories"][0]["id"]);
    app.delete(&north, None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.delete(&north, Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&north, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    let r = app.delete(&north, Some(&t.manager)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    app.delete(&north, Some(&t.manager))
        .await
        .assert_error(404, "NOT_FOUND");
    let left = app.get(&base, Some(&t.manager)).await;
    assert_eq!(left.body["territories"][0]["name"], "South");
}

#[tokio::test]
async fn campaigns_are_created_read_and_updated() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/campaigns", t.company);
    let r = app
        .post(
            &base,
            Some(&t.manager),
            json!({"name": "Spring push", "starts_on": "2026-03-01", "ends_on": "2026-05-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = &r.body["campaign"];
    assert_eq!(c["status"], "active");
    for key in [
        "id",
        "company_id",
        "name",
        "source_id",
        "status",
        "starts_on",
        "ends_on",
    ] {
        assert!(c.get(key).is_some());
    }
    let id = c["id"].clone();
    app.post(&base, Some(&t.manager), json!({"name": "spring  PUSH"}))
        .await
        .assert_error(409, "CAMPAIGN_NAME_ALREADY_EXISTS");
    app.post(
        &base,
        Some(&t.manager),
        json!({"name": "Bad", "status": "sleeping"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.post(&base, Some(&t.rep1.1), json!({"name": "Rep's"}))
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&base, None, json!({"name": "Anon"}))
        .await
        .assert_error(401, "UNAUTHORIZED");

    let r = app
        .put(
            &format!("{base}/{id}"),
            Some(&t.manager),
            json!({"status": "paused", "ends_on": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["campaign"]["status"], "paused");
    assert!(r.body["campaign"]["ends_on"].is_null());
    assert_eq!(r.body["campaign"]["starts_on"], "2026-03-01");
    app.put(
        &format!("{base}/{id}"),
        Some(&t.manager),
        json!({"starts_on": "2027-01-01", "ends_on": "2026-01-01"}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(
        &format!("{base}/{id}"),
        Some(&t.rep1.1),
        json!({"status": "ended"}),
    )
    .await
    .assert_error(403, "FORBIDDEN");

    assert_eq!(
        app.get(&format!("{base}/{id}"), Some(&t.rep1.1)).await.body["campaign"]["name"],
        "Spring push"
    );
    assert_eq!(
        app.get(&base, Some(&t.rep1.1)).await.body["campaigns"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.get(&format!("{base}/{id}"), Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(
        &format!("/api/v1/companies/{}/campaigns/{id}", t.other_company),
        Some(&t.outsider),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");
    app.get(&format!("{base}/{id}"), None)
        .await
        .assert_error(401, "UNAUTHORIZED");
}
