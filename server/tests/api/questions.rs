use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn questions_in_priority_order() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/questions", t.company);
    let mut ids = Vec::new();
    for (text, kind, options) in [
        ("Budget?", "number", json!([])),
        (
            "Timeline?",
            "single_choice",
            json!(["This month", "This quarter", "Later"]),
        ),
        ("Which products?", "multi_choice", json!(["CRM", "Phones"])),
        ("Anything else?", "text", json!([])),
    ] {
        let r = app
            .post(
                &base,
                Some(&t.manager),
                json!({"text": text, "kind": kind, "options": options}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["question"]["id"].as_i64().unwrap());
    }
    let q = &app.get(&base, Some(&t.rep1.1)).await.body["questions"];
    assert_eq!(
        q[1]["options"],
        json!(["This month", "This quarter", "Later"])
    );
    assert_eq!(q[3]["priority"], 4);
    for key in [
        "id",
        "company_id",
        "campaign_id",
        "text",
        "kind",
        "options",
        "priority",
    ] {
        assert!(q[0].get(key).is_some(), "question has {key}");
    }
    for bad in [
        json!({"text": "", "kind": "text"}),
        json!({"text": "Size?", "kind": "color"}),
        json!({"text": "Pick", "kind": "single_choice", "options": []}),
        json!({"text": "Free", "kind": "text", "options": ["A"]}),
        json!({"text": "Dup", "kind": "multi_choice", "options": ["A", "a"]}),
        json!({"text": "Camp", "kind": "text", "campaign_id": 999}),
    ] {
        app.post(&base, Some(&t.manager), bad)
            .await
            .assert_error(422, "VALIDATION_FAILED");
    }
    let body = json!({"text": "X", "kind": "text"});
    app.post(&base, Some(&t.rep1.1), body.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.post(&base, Some(&t.outsider), body.clone())
        .await
        .assert_error(404, "NOT_FOUND");
    app.post(&base, None, body)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");

    let one = format!("{base}/{}", ids[1]);
    assert_eq!(
        app.get(&one, Some(&t.rep1.1)).await.body["question"]["text"],
        "Timeline?"
    );
    app.get(&one, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&one, None).await.assert_error(401, "UNAUTHORIZED");
    app.get(
        &format!("/api/v1/companies/{}/questions/{}", t.other_company, ids[1]),
        Some(&t.outsider),
    )
    .await
    .assert_error(404, "NOT_FOUND");

    let order = json!({"question_ids": [ids[3], ids[2], ids[1], ids[0]]});
    let r = app
        .put(&format!("{base}/priority"), Some(&t.manager), order.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["questions"][0]["id"], ids[3]);
    app.put(
        &format!("{base}/priority"),
        Some(&t.manager),
        json!({"question_ids": [ids[0], ids[0], ids[1], ids[2]]}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(&format!("{base}/priority"), Some(&t.rep1.1), order.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(
        &format!("{base}/priority"),
        Some(&t.outsider),
        order.clone(),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.put(&format!("{base}/priority"), None, order)
        .await
        .assert_error(401, "UNAUTHORIZED");
    let kept = &app.get(&base, Some(&t.manager)).await.body["questions"];
    assert_eq!(kept[0]["id"], ids[3], "a refused order changed nothing");

    app.delete(&one, Some(&t.rep1.1))
        .await
        .assert_error(403, "FORBIDDEN");
    app.delete(&one, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.delete(&one, None)
        .await
        .assert_error(401, "UNAUTHORIZED");
    assert_eq!(
        app.delete(&one, Some(&t.manager)).await.status,
        StatusCode::NO_CONTENT
    );
    app.delete(&one, Some(&t.manager))
        .await
        .assert_error(404, "NOT_FOUND");
    let left = &app.get(&base, Some(&t.manager)).await.body["questions"];
    let priorities: Vec<_> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["priority"].as_i64().unwrap())
        .collect();
    assert_eq!(priorities, [1, 2, 3]);
}

#[tokio::test]
async fn campaign_questions_and_their_options_all_or_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let c = t.company;
    let campaign = app
        .post(
            &format!("/api/v1/companies/{c}/campaigns"),
            Some(&t.manager),
            json!({"name": "Spring"}),
        )
        .await
        .body["campaign"]["id"]
        .clone();
    let ask = |text: &'static str, kind: &'static str, options: serde_json::Value| {
        let (app, manager) = (&app, &t.manager);
        let campaign = campaign.clone();
        async move {
            let r = app
                .post(
                    &format!("/api/v1/companies/{c}/questions"),
                    Some(manager),
                    json!({"text": text, "kind": kind, "options": options, "campaign_id": campaign}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body["question"]["id"].as_i64().unwrap()
        }
    };
    let size = ask("Team size?", "single_choice", json!(["1-10", "11-50"])).await;
    let tools = ask("Tools?", "multi_choice", json!(["Excel"])).await;
    let notes = ask("Notes", "text", json!([])).await;
    app.post(
        &format!("/api/v1/companies/{c}/questions"),
        Some(&t.manager),
        json!({"text": "General", "kind": "text"}),
    )
    .await;
    let list = format!("/api/v1/companies/{c}/campaigns/{campaign}/questions");
    let q = app.get(&list, Some(&t.rep1.1)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert_eq!(
        q.body["questions"].as_array().unwrap().len(),
        3,
        "only the campaign's"
    );
    app.get(&list, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&list, None).await.assert_error(401, "UNAUTHORIZED");
    app.get(
        &format!("/api/v1/companies/{c}/campaigns/999/questions"),
        Some(&t.manager),
    )
    .await
    .assert_error(404, "NOT_FOUND");

    let options = format!("{list}/options");
    let good = json!({"questions": [{"id": size, "options": ["1-10", "11-50", "51+"]}, {"id": tools, "options": ["Excel", "Sheets"]}]});
    let r = app.put(&options, Some(&t.manager), good.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["questions"][0]["options"],
        json!(["1-10", "11-50", "51+"])
    );
    let bad =
        json!({"questions": [{"id": size, "options": ["Only"]}, {"id": notes, "options": ["x"]}]});
    let r = app.put(&options, Some(&t.manager), bad).await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(
        r.body["error"]["fields"]["questions[1].options"].is_array(),
        "{}",
        r.body
    );
    let after = app.get(&list, Some(&t.manager)).await;
    assert_eq!(
        after.body["questions"][0]["options"],
        json!(["1-10", "11-50", "51+"]),
        "all or nothing"
    );
    app.put(
        &options,
        Some(&t.manager),
        json!({"questions": [{"id": 999, "options": ["a"]}]}),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    app.put(&options, Some(&t.rep1.1), good.clone())
        .await
        .assert_error(403, "FORBIDDEN");
    app.put(&options, Some(&t.outsider), good.clone())
        .await
        .assert_error(404, "NOT_FOUND");
    app.put(&options, None, good)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_question_is_reworded_and_its_options_changed_but_not_its_kind() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/questions", t.company);
    let created = app
        .post(
            &base,
            Some(&t.manager),
            json!({"text": "Size?", "kind": "single_choice", "options": ["S", "L"]}),
        )
        .await;
    let id = created.body["question"]["id"].as_i64().unwrap();
    let path = format!("{base}/{id}");
    let r = app
        .put(
            &path,
            Some(&t.manager),
            json!({"text": "Team size?", "options": ["S", "M", "L"], "campaign_id": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["question"]["text"], "Team size?");
    assert_eq!(r.body["question"]["options"], json!(["S", "M", "L"]));
    assert_eq!(r.body["question"]["kind"], "single_choice");
    assert_eq!(r.body["question"]["priority"], 1);
    let r = app
        .put(
            &path,
            Some(&t.manager),
            json!({"text": "x", "kind": "text"}),
        )
        .await;
    r.assert_error(422, "VALIDATION_FAILED");
    assert!(r.body["error"]["fields"]["kind"].is_array(), "{}", r.body);
    app.put(&path, Some(&t.manager), json!({"text": "x", "options": []}))
        .await
        .assert_error(422, "VALIDATION_FAILED");
    app.put(
        &path,
        Some(&t.rep1.1),
        json!({"text": "x", "options": ["A"]}),
    )
    .await
    .assert_error(403, "FORBIDDEN");
    app.put(
        &format!("/api/v1/companies/{}/questions/{id}", t.other_company),
        Some(&t.outsider),
        json!({"text": "x", "options": ["A"]}),
    )
    .await
    .assert_error(404, "NOT_FOUND");
    app.put(&path, None, json!({"text": "x", "options": ["A"]}))
        .await
        .assert_error(401, "UNAUTHORIZED");
}
