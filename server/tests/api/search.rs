//! Search through the API's `q`: any part of a name, company, email or phone,
//! accents and case folded, phone digits whatever their formatting, ranked names
//! first, the sales-rep rule applied, and the index kept in step with every change.

use crate::support::{Team, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The ids `q` finds for `token`, in the order the API ranks them.
async fn found(app: &TestApp, t: &Team, token: &str, q: &str) -> Vec<i64> {
    let q: String = q
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let r = app
        .get(
            &format!("/api/v1/companies/{}/leads?q={q}", t.company),
            Some(token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
    let ids: Vec<i64> = r.body["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(r.body["meta"]["total"], ids.len() as i64, "{q}");
    ids
}

fn id(lead: &Value) -> i64 {
    lead["id"].as_i64().unwrap()
}

#[tokio::test]
async fn any_part_of_a_name_company_email_or_phone_finds_the_lead() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let zoe = id(&app
        .lead(&t.admin, t.company, json!({"first_name": "Zoë", "last_name": "Ørsted",
            "company_name": "Café Ñandú", "email": "zoe.orsted@nandu.example", "phone": "+1 (555) 010-2030"}))
        .await);
    let tim = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Tim", "last_name": "Berners-Lee",
            "company_name": "W3C", "email": "tim@w3.org", "phone": "555.777.8899"}),
        )
        .await);
    let fan = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Olga", "last_name": "Petrova",
            "email": "orsted.fan@mail.example"}),
        )
        .await);
    let cases: &[(&str, &[i64])] = &[
        ("zoe", &[zoe]),
        ("ZOË", &[zoe]),
        ("zo", &[zoe]),
        ("cafe nandu", &[zoe]),
        ("Nandú", &[zoe]),
        ("berners-lee", &[tim]),
        ("bernerslee", &[tim]),
        ("lee", &[tim]),
        ("tim berners", &[tim]),
        ("w3.org", &[tim]),
        ("tim@w3.org", &[tim]),
        ("w3c", &[tim]),
        ("5550102030", &[zoe]),
        ("+1 (555) 010-2030", &[zoe]),
        ("555-010-2030", &[zoe]),
        ("010 2030", &[zoe]),
        ("2030", &[zoe]),
        ("8899", &[tim]),
        ("zoe 2030", &[zoe]),
        ("zoe 8899", &[]),
        ("lee-berners", &[]),
        ("nobody", &[]),
        // A name outranks the same word in an email.
        ("orsted", &[zoe, fan]),
    ];
    for (q, want) in cases {
        assert_eq!(found(&app, &t, &t.admin, q).await, want.to_vec(), "{q}");
    }
    let mut both = found(&app, &t, &t.admin, "555").await;
    both.sort();
    assert_eq!(both, vec![zoe, tim], "a phone's digits from any position");

    // The index follows every change of the words.
    let r = app
        .put(
            &format!("/api/v1/companies/{}/leads/{tim}", t.company),
            Some(&t.admin),
            json!({"last_name": "Hopper", "phone": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        found(&app, &t, &t.admin, "berners").await,
        Vec::<i64>::new()
    );
    assert_eq!(found(&app, &t, &t.admin, "8899").await, Vec::<i64>::new());
    assert_eq!(found(&app, &t, &t.admin, "tim hop").await, vec![tim]);
    let r = app
        .put(
            &format!("/api/v1/companies/{}/leads/{zoe}", t.company),
            Some(&t.admin),
            json!({"last_name": "Smith", "email": "zoe@nandu.example"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(found(&app, &t, &t.admin, "orsted").await, vec![fan]);
}

#[tokio::test]
async fn a_sales_rep_finds_only_their_own_leads_and_another_company_none() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mine = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Zoe", "last_name": "Mine",
            "assigned_user_access_id": t.rep1.0}),
        )
        .await);
    let theirs = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Zoe", "last_name": "Theirs",
            "assigned_user_access_id": t.rep2.0}),
        )
        .await);
    let nobody = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Zoe", "last_name": "Nobody"}),
        )
        .await);
    app.lead(
        &t.outsider,
        t.other_company,
        json!({"first_name": "Zoe", "last_name": "Elsewhere"}),
    )
    .await;
    assert_eq!(found(&app, &t, &t.rep1.1, "zoe").await, vec![mine]);
    assert_eq!(found(&app, &t, &t.rep2.1, "zoe").await, vec![theirs]);
    let mut all = found(&app, &t, &t.manager, "zoe").await;
    all.sort();
    assert_eq!(all, vec![mine, theirs, nobody]);
    let r = app
        .get(
            &format!("/api/v1/companies/{}/leads?q=zoe", t.company),
            Some(&t.outsider),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

#[tokio::test]
async fn hostile_queries_find_nothing_and_break_nothing() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let ada = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Ada", "email": "ada@x.test"}),
        )
        .await);
    for q in [
        "\"",
        "*",
        "ada\"*",
        ") OR (",
        "NEAR(ada",
        "ada:* | !b",
        "a&b",
        "'; DROP TABLE leads; --",
        "^ada",
        "-ada",
        "{ada}",
    ] {
        let ids = found(&app, &t, &t.admin, q).await;
        assert!(ids.is_empty() || ids == vec![ada], "{q}: {ids:?}");
    }
    app.get(
        &format!("/api/v1/companies/{}/leads?q=a%00", t.company),
        Some(&t.admin),
    )
    .await
    .assert_error(422, "VALIDATION_FAILED");
    assert_eq!(
        found(&app, &t, &t.admin, "ada OR").await,
        Vec::<i64>::new(),
        "OR is a word"
    );
    assert_eq!(
        found(&app, &t, &t.admin, &"ada ".repeat(500)).await,
        vec![ada]
    );
    assert_eq!(
        found(&app, &t, &t.admin, "   ").await,
        vec![ada],
        "blank is no filter"
    );
}

#[tokio::test]
async fn a_whole_email_address_finds_the_addresses_it_begins_whatever_its_case() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let mut ids = Vec::new();
    for (email, rep) in [
        ("ada.lovelace@analytical.example", t.rep1.0),
        ("ada.lovelace@analytical.example.org", t.rep2.0),
        ("charles@analytical.example", t.rep1.0),
    ] {
        let lead = app
            .lead(
                &t.manager,
                t.company,
                json!({"first_name": "L", "email": email, "assigned_user_access_id": rep}),
            )
            .await;
        ids.push(lead["id"].as_i64().unwrap());
    }
    let mut both = vec![ids[0], ids[1]];
    both.sort();
    let mut got = found(&app, &t, &t.manager, "Ada.Lovelace@Analytical.Example").await;
    got.sort();
    assert_eq!(got, both);
    assert_eq!(
        found(&app, &t, &t.manager, "ada.lovelace@analytical.example.org").await,
        vec![ids[1]]
    );
    assert_eq!(
        found(&app, &t, &t.rep1.1, "ada.lovelace@analytical.example").await,
        vec![ids[0]],
        "a rep's own"
    );
    assert!(found(&app, &t, &t.manager, "nobody@analytical.example")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_search_matching_hundreds_counts_and_pages_them_newest_first() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.start_import_worker();
    app.imported(&t, "Mara", 600).await;
    let by_email = id(&app
        .lead(
            &t.admin,
            t.company,
            json!({"first_name": "Zed", "email": "mara@x.test"}),
        )
        .await);
    app.lead(
        &t.outsider,
        t.other_company,
        json!({"first_name": "Mara", "last_name": "Elsewhere"}),
    )
    .await;
    let mut seen = Vec::new();
    for page in 1..=7 {
        let r = app
            .get(
                &format!(
                    "/api/v1/companies/{}/leads?q=mar&per_page=100&page={page}",
                    t.company
                ),
                Some(&t.manager),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["meta"]["total"], 601, "this company's matches only");
        seen.extend(r.body["leads"].as_array().unwrap().iter().map(id));
    }
    assert_eq!(seen.len(), 601);
    assert_eq!(seen[0], by_email, "past 500 matches, newest first");
    let mut newest_first = seen.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, newest_first, "every match once, in one order");

    // The index follows a lead from one assignee to another.
    let lead = seen[10];
    for (rep, mine) in [(t.rep1.0, true), (t.rep2.0, false)] {
        let r = app
            .put(
                &format!("/api/v1/companies/{}/leads/{lead}", t.company),
                Some(&t.manager),
                json!({ "assigned_user_access_id": rep }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let found_by_rep1 = found(&app, &t, &t.rep1.1, "mara").await;
        assert_eq!(found_by_rep1, if mine { vec![lead] } else { vec![] });
    }
    assert_eq!(found(&app, &t, &t.rep2.1, "mara").await, vec![lead]);
}

#[tokio::test]
async fn typed_words_never_reach_the_index_words_of_companies_and_assignees() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    app.lead(
        &t.admin,
        t.company,
        json!({"first_name": "Ada", "assigned_user_access_id": t.rep1.0}),
    )
    .await;
    app.lead(&t.outsider, t.other_company, json!({"first_name": "Bob"}))
        .await;
    let (mine, theirs) = (t.company, t.other_company);
    let (rep1, rep2) = (t.rep1.0, t.rep2.0);
    for q in [
        format!("_c{mine}"),
        format!("c{mine}"),
        format!("_c{theirs}"),
        format!("_a{rep1}"),
        format!("a{rep1}"),
        format!("_a{rep2}"),
        "_a0".to_string(),
        "a0".to_string(),
    ] {
        for token in [&t.admin, &t.rep1.1, &t.rep2.1] {
            assert_eq!(found(&app, &t, token, &q).await, Vec::<i64>::new(), "{q}");
        }
    }
}
