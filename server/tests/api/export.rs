//! `GET .../leads/export`: every matching lead as CSV, streamed page by page,
//! reading back equal to what the API shows, formula-like cells neutralized.

use crate::support::TestApp;
use axum::http::{header, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Names that trip CSV writers and spreadsheets: quotes, commas, formulas, accents.
const NAMES: [&str; 6] = [
    "Zoë",
    "O'Brien, Jr.",
    "=HYPERLINK(\"x\")",
    "\"Quoted\"",
    "-dash",
    "@at",
];

/// A spreadsheet's reading of a neutralized cell.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_export_of_generated_leads_reads_back_equal_across_pages() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}", t.company);
    let mut questions = Vec::new();
    for (q, kind, options) in [
        ("=Budget?", "text", json!([])),
        (
            "Which products?",
            "multi_choice",
            json!(["CRM", "Phones", "Desks"]),
        ),
    ] {
        let r = app
            .post(
                &format!("{base}/questions"),
                Some(&t.manager),
                json!({"text": q, "kind": kind, "options": options}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        questions.push(r.body["question"]["id"].as_i64().unwrap());
    }
    let won = app.stage_id("won").await;
    // More than one page of the export (1,000 leads a page).
    for i in 0..1_005usize {
        let mut lead = json!({
            "first_name": NAMES[i % NAMES.len()],
            "last_name": format!("Lead {i}"),
            "company_name": if i % 3 == 0 { "" } else { "Acme, Inc." },
            "value_cents": i * 101,
            "assigned_user_access_id": if i % 2 == 0 { t.rep1.0 } else { t.rep2.0 },
            "answers": {
                questions[0].to_string(): format!("+{i}"),
                questions[1].to_string(): if i % 4 == 0 { json!(["CRM", "Desks"]) } else { json!([]) },
            },
        });
        if i % 5 == 0 {
            lead["email"] = json!(format!("lead{i}@x.test"));
            lead["phone"] = json!("+1 555 010 2030");
            lead["stage_id"] = json!(won);
        }
        app.lead(&t.admin, t.company, lead).await;
    }
    let r = app
        .get(&format!("{base}/leads/export"), Some(&t.manager))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("leads.csv"));
    let mut reader = csv::Reader::from_reader(r.raw.as_bytes());
    let head: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        head[..7],
        [
            "first_name",
            "last_name",
            "company_name",
            "email",
            "phone",
            "postal_code",
            "value"
        ]
    );
    assert_eq!(head[head.len() - 2..], ["'=Budget?", "Which products?"]);
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|r| {
            head.iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 1_005, "every lead once");
    let mut api = Vec::new();
    for page in 1..=11 {
        let r = app
            .get(
                &format!("{base}/leads?per_page=100&page={page}"),
                Some(&t.manager),
            )
            .await;
        api.extend(r.body["leads"].as_array().unwrap().clone());
    }
    assert_eq!(api.len(), 1_005);
    for (row, lead) in rows.iter().zip(&api) {
        let cell = |k: &str| unneutralize(&row[k]).to_string();
        assert_eq!(
            cell("id"),
            lead["id"].to_string(),
            "newest first, as the list"
        );
        for k in [
            "first_name",
            "last_name",
            "company_name",
            "email",
            "phone",
            "postal_code",
        ] {
            assert_eq!(cell(k), text(&lead[k]), "{k} of {}", lead["id"]);
        }
        let cents = lead["value_cents"].as_i64().unwrap();
        assert_eq!(cell("value"), format!("{}.{:02}", cents / 100, cents % 100));
        let stage = if lead["stage_id"] == won {
            "won"
        } else {
            "new"
        };
        assert_eq!(cell("stage"), stage);
        assert_eq!(cell("assignee"), text(&lead["assignee_name"]));
        let answers = &lead["answers"];
        assert_eq!(cell("'=Budget?"), text(&answers[questions[0].to_string()]));
        let chosen: Vec<String> = answers[questions[1].to_string()]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        assert_eq!(cell("Which products?"), chosen.join(";"));
        for (k, v) in row {
            assert!(
                !v.starts_with(['=', '+', '-', '@']),
                "{k} would run as a formula: {v}"
            );
        }
    }
}

#[tokio::test]
async fn an_export_takes_the_filters_and_the_sales_rep_rule() {
    let app = TestApp::spawn().await;
    let t = app.team().await;
    let base = format!("/api/v1/companies/{}/leads/export", t.company);
    app.lead(
        &t.admin,
        t.company,
        json!({"first_name": "Ada", "assigned_user_access_id": t.rep1.0}),
    )
    .await;
    app.lead(
        &t.admin,
        t.company,
        json!({"first_name": "Bob", "assigned_user_access_id": t.rep2.0}),
    )
    .await;
    app.lead(&t.outsider, t.other_company, json!({"first_name": "Ada"}))
        .await;
    let names = |r: &crate::support::Reply| -> Vec<String> {
        let mut reader = csv::Reader::from_reader(r.raw.as_bytes());
        reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect()
    };
    assert_eq!(names(&app.get(&base, Some(&t.rep1.1)).await), ["Ada"]);
    assert_eq!(names(&app.get(&base, Some(&t.rep2.1)).await), ["Bob"]);
    assert_eq!(
        names(&app.get(&format!("{base}?q=ada"), Some(&t.manager)).await),
        ["Ada"]
    );
    assert_eq!(
        names(
            &app.get(
                &format!("{base}?assigned_user_access_id={}", t.rep2.0),
                Some(&t.admin)
            )
            .await
        ),
        ["Bob"]
    );
    assert_eq!(names(&app.get(&base, Some(&t.admin)).await), ["Bob", "Ada"]);
    app.get(&base, Some(&t.outsider))
        .await
        .assert_error(404, "NOT_FOUND");
    app.get(&base, None).await.assert_error(401, "UNAUTHORIZED");
    app.get(&format!("{base}?stage_id=x"), Some(&t.admin))
        .await
        .assert_error(422, "VALIDATION_FAILED");
}
