//! Files in S3-compatible object storage, against moto in server mode (a peer
//! started per test): avatars, imports and exports go to the bucket and come back
//! from it through any instance, an import larger than one upload part goes up in
//! parts, and a worker that cannot read an import's file hands the import back
//! instead of failing it.

use crate::receiver::Bucket;
use crate::support::{multipart, TestApp, PNG};
use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn until_ended(app: &TestApp, token: &str, url: &str, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let r = app.get(url, Some(token)).await;
        let body = r.body[what].clone();
        if body["status"] == "completed" || body["status"] == "failed" {
            return body;
        }
        assert!(Instant::now() < deadline, "{url} ends: {}", r.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn files_live_in_the_bucket_and_every_instance_serves_them() {
    let bucket = Bucket::start("leadsy-test").await;
    let app = TestApp::spawn_with(|c| {
        c.s3 = Some(bucket.config.clone());
        c.max_import_bytes = 9 << 20;
    })
    .await;
    let other = app.beside().await;
    assert!(app.state.ctx.storage.is_shared());
    let t = app.team().await;

    // An avatar stored through one instance is served by the other.
    let (ana, ana_t) = app.user("ana@bucket.test").await;
    let r = app
        .send(multipart(
            &format!("/api/v1/users/{ana}/avatar"),
            Method::PUT,
            Some(&ana_t),
            "me.png",
            PNG,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let url = r.body["user"]["avatar_url"].as_str().unwrap().to_string();
    let served_path = format!("/files/{}", url.split_once("/files/").unwrap().1);
    let served = other.get(&served_path, None).await;
    assert_eq!(served.status, StatusCode::OK);
    // The reply keeps text only: the picture's own bytes are checked by length and
    // by their readable part.
    assert_eq!(served.raw, String::from_utf8_lossy(PNG));
    assert_eq!(
        served.headers[header::CONTENT_LENGTH],
        PNG.len().to_string().as_str()
    );
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    // Asked again with its validator, it is not sent again.
    let again = other
        .send(
            axum::http::Request::get(&served_path)
                .header(header::IF_NONE_MATCH, &served.headers[header::ETAG])
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
    assert!(
        !app.dir.path().join("files/avatars").exists(),
        "nothing on disk"
    );
    for hostile in [
        "/files/avatars/..%2F..%2Fetc%2Fpasswd.png",
        "/files/avatars/users/nope.png",
        "/files/avatars/users/%2e%2e/%2e%2e/imports/1/x.png",
        "/files/avatars/users/..%5c..%5cx.png",
        "/files/imports/1/x.csv",
        "/files/probes/x",
        &format!("/files/avatars/users/{}.png", "a".repeat(5_000)),
    ] {
        assert_eq!(
            other.get(hostile, None).await.status,
            StatusCode::NOT_FOUND,
            "{hostile}"
        );
    }

    // An upload past the size limit, refused after its first part went up, leaves
    // neither a file nor an unfinished upload in the bucket.
    let huge = format!("first_name\n{}", "Ada\n".repeat(10 << 18));
    app.send(multipart(
        &format!("/api/v1/companies/{}/imports", t.company),
        Method::POST,
        Some(&t.manager),
        "huge.csv",
        huge.as_bytes(),
    ))
    .await
    .assert_error(413, "PAYLOAD_TOO_LARGE");
    let endpoint = bucket.config.endpoint.clone().unwrap();
    let listed = |query: &'static str| {
        let url = format!("{endpoint}/leadsy-test?{query}");
        async move {
            tokio::task::spawn_blocking(move || {
                ureq::get(&url).call().unwrap().into_string().unwrap()
            })
            .await
            .unwrap()
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while listed("uploads").await.contains("<UploadId>") {
        assert!(
            Instant::now() < deadline,
            "the refused upload's parts are removed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!listed("list-type=2&prefix=imports/")
        .await
        .contains("<Key>"));

    // An import larger than one upload part (8 MiB) goes up in parts through one
    // instance and is read back, streamed, by the other's worker.
    let rows = 9_000;
    let mut csv = String::from("first_name,email,comment\n");
    let filler = "x".repeat(1_000);
    for i in 0..rows {
        csv.push_str(&format!("Row{i},row{i}@bucket.test,{filler}\n"));
    }
    assert!(csv.len() > 8 << 20, "more than one part");
    let id = app.uploaded(&t, "big.csv", csv.as_bytes()).await;
    other.start_import_worker();
    let status = format!("/api/v1/companies/{}/imports/{id}", t.company);
    let done = until_ended(&other, &t.manager, &status, "import_file").await;
    assert_eq!(
        (
            &done["status"],
            &done["imported_rows"],
            &done["failed_rows"]
        ),
        (&json!("completed"), &json!(rows), &json!(0)),
        "{done}"
    );
    assert!(
        !app.dir.path().join("files/imports").exists(),
        "nothing on disk"
    );

    // An export written by one instance's job downloads through the other.
    let r = app
        .post(
            &format!("/api/v1/companies/{}/leads/export", t.company),
            Some(&t.manager),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = format!(
        "/api/v1/companies/{}/jobs/{}",
        t.company, r.body["job"]["id"]
    );
    app.start_job_worker();
    let done = until_ended(&app, &t.manager, &job, "job").await;
    assert_eq!(done["status"], "completed", "{done}");
    let file = other.get(&format!("{job}/file"), Some(&t.manager)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.raw.lines().count(),
        rows + 1,
        "a header and every lead"
    );
    assert!(file.raw.contains("row8999@bucket.test"));

    // Past the retention, the uploaded file leaves the bucket.
    let ctx = &app.state.ctx;
    let key = app.storage_key(id).await;
    assert!(ctx.storage.blob(&key).await.is_ok());
    assert_eq!(app.swept_after_retention(id).await, 1);
    assert!(matches!(
        ctx.storage.blob(&key).await,
        Err(leadsy::Error::NotFound(_))
    ));
}

#[tokio::test]
async fn a_worker_that_cannot_read_an_import_hands_it_back_for_one_that_can() {
    // Each instance keeps files on its own disk: the one that received the upload
    // alone can read it.
    let app = TestApp::spawn().await;
    let other = app.beside().await;
    let t = app.team().await;
    let id = app
        .uploaded(
            &t,
            "here.csv",
            b"first_name,email\nAda,ada@disk.test\nBob,bob@disk.test\n",
        )
        .await;
    other.start_import_worker();
    let pool = &app.state.ctx.db.pool;
    let claimed_at = || async {
        sqlx::query_scalar::<_, Option<i64>>(
            "SELECT heartbeat_at FROM import_files WHERE id = $1 AND started_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap()
        .flatten()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        if let Some(at) = claimed_at().await {
            break at;
        }
        assert!(
            Instant::now() < deadline,
            "the other worker tries the import"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // Handed back at once, and passed over afterwards: no claim since the first,
    // though the worker looks at the queue several times a second.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(claimed_at().await, Some(first), "claimed once");
    let status = format!("/api/v1/companies/{}/imports/{id}", t.company);
    let waiting = app.get(&status, Some(&t.manager)).await.body["import_file"].clone();
    assert_eq!(waiting["status"], "queued", "not failed: {waiting}");
    let claimed: Option<String> =
        sqlx::query_scalar("SELECT claimed_by FROM import_files WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(claimed, None);

    app.start_import_worker();
    let done = until_ended(&app, &t.manager, &status, "import_file").await;
    assert_eq!(
        (&done["status"], &done["imported_rows"]),
        (&json!("completed"), &json!(2)),
        "{done}"
    );
}
