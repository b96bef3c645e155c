use crate::support::TestApp;
use axum::http::StatusCode;

/// Every route of the contract, as (method, path).
const CONTRACT: &[(&str, &str)] = &[
    ("post", "/users"),
    ("post", "/users/login"),
    ("get", "/users/validate_jwt"),
    ("get", "/users/find_by_email"),
    ("get", "/users"),
    ("post", "/users/password_reset"),
    ("put", "/users/password_reset"),
    ("get", "/users/{user_id}"),
    ("put", "/users/{user_id}"),
    ("put", "/users/{user_id}/avatar"),
    ("delete", "/users/{user_id}/avatar"),
    ("put", "/users/{user_id}/onboarding/finish"),
    ("put", "/users/{user_id}/onboarding/terms"),
    ("get", "/users/{user_id}/providers"),
    ("post", "/users/{user_id}/user_accesses"),
    ("get", "/users/{user_id}/user_accesses"),
    ("put", "/users/{user_id}/user_accesses/{user_access_id}"),
    ("delete", "/users/{user_id}/user_accesses/{user_access_id}"),
    ("get", "/stages"),
    ("post", "/companies"),
    ("get", "/companies"),
    ("get", "/companies/{company_id}"),
    ("put", "/companies/{company_id}/avatar"),
    ("delete", "/companies/{company_id}/avatar"),
    ("get", "/companies/{company_id}/users"),
    ("get", "/accesses"),
    ("get", "/accesses/{access_id}"),
    ("get", "/memberships"),
    ("get", "/memberships/{membership_id}"),
    ("post", "/companies/{company_id}/membership"),
    ("delete", "/companies/{company_id}/membership"),
    ("get", "/legal_terms/current"),
    ("get", "/legal_terms/{legal_term_id}"),
    ("post", "/global/users/onboard"),
    ("post", "/global/users/gettokenbycustomerid"),
    ("get", "/companies/{company_id}/campaigns"),
    ("get", "/companies/{company_id}/campaigns/{campaign_id}"),
    ("put", "/companies/{company_id}/cycles"),
    ("post", "/companies/{company_id}/cycles"),
    ("post", "/companies/{company_id}/leads"),
    ("get", "/companies/{company_id}/leads"),
    ("get", "/companies/{company_id}/leads/duplicates"),
    ("get", "/companies/{company_id}/leads/export"),
    ("get", "/companies/{company_id}/leads/unassigned"),
    ("get", "/companies/{company_id}/leads/metrics"),
    ("get", "/companies/{company_id}/leads/{lead_id}"),
    ("put", "/companies/{company_id}/leads/{lead_id}"),
    ("post", "/companies/{company_id}/leads/{lead_id}/merge"),
    ("post", "/companies/{company_id}/merges/{merge_id}/undo"),
    ("get", "/companies/{company_id}/leads/{lead_id}/events"),
    ("get", "/companies/{company_id}/events"),
    ("post", "/companies/{company_id}/webhooks"),
    ("get", "/companies/{company_id}/webhooks"),
    ("get", "/companies/{company_id}/webhooks/{webhook_id}"),
    ("put", "/companies/{company_id}/webhooks/{webhook_id}"),
    ("delete", "/companies/{company_id}/webhooks/{webhook_id}"),
    (
        "post",
        "/companies/{company_id}/webhooks/{webhook_id}/rotate_secret",
    ),
    (
        "get",
        "/companies/{company_id}/webhooks/{webhook_id}/deliveries",
    ),
    (
        "get",
        "/companies/{company_id}/webhooks/{webhook_id}/deliveries/{delivery_id}",
    ),
    (
        "post",
        "/companies/{company_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    ),
    (
        "post",
        "/companies/{company_id}/webhooks/{webhook_id}/replay_failed",
    ),
    ("post", "/companies/{company_id}/views"),
    ("get", "/companies/{company_id}/views"),
    ("delete", "/companies/{company_id}/views/{view_id}"),
    ("post", "/companies/{company_id}/leads/{lead_id}/notes"),
    (
        "delete",
        "/companies/{company_id}/leads/{lead_id}/notes/{note_id}",
    ),
    ("post", "/companies/{company_id}/sources"),
    ("get", "/companies/{company_id}/sources"),
    ("delete", "/companies/{company_id}/sources/{source_id}"),
    ("put", "/companies/{company_id}/sources/priority"),
    (
        "post",
        "/companies/{company_id}/sources/{source_id}/user_accesses",
    ),
    (
        "delete",
        "/companies/{company_id}/sources/{source_id}/user_accesses/{user_access_id}",
    ),
    ("get", "/appointments"),
    ("get", "/appointments/{appointment_id}"),
    (
        "post",
        "/companies/{company_id}/leads/{lead_id}/appointments",
    ),
    ("post", "/companies/{company_id}/territories"),
    ("get", "/companies/{company_id}/territories"),
    ("get", "/companies/{company_id}/invitations"),
    ("post", "/companies/{company_id}/invitations"),
    (
        "delete",
        "/companies/{company_id}/invitations/{invitation_id}",
    ),
    ("get", "/invitations/{code}"),
    ("get", "/invitations"),
    ("post", "/invitations/{code}/accept"),
    ("post", "/companies/{company_id}/questions"),
    ("get", "/companies/{company_id}/questions"),
    ("get", "/companies/{company_id}/questions/{question_id}"),
    ("delete", "/companies/{company_id}/questions/{question_id}"),
    ("put", "/companies/{company_id}/questions/priority"),
    (
        "get",
        "/companies/{company_id}/campaigns/{campaign_id}/questions",
    ),
    (
        "put",
        "/companies/{company_id}/campaigns/{campaign_id}/questions/options",
    ),
];

#[tokio::test]
async fn the_document_describes_every_route_with_schemas_errors_and_auth() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = &r.body;
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert!(doc["components"]["securitySchemes"]["jwt"].is_object());
    assert!(doc["components"]["securitySchemes"]["platform_token"].is_object());
    for (method, path) in CONTRACT {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        assert!(op["summary"].is_string(), "{method} {path} has a summary");
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path} documents success"
        );
        let can_fail = op["security"].is_array()
            || op["parameters"].is_array()
            || op["requestBody"].is_object();
        if can_fail {
            assert!(
                responses.keys().any(|s| s.starts_with('4')),
                "{method} {path} documents errors"
            );
        }
        // Accepting an invitation, rotating a secret, replaying deliveries and
        // undoing a merge are actions on what the path names, with nothing to send.
        let bodiless = *path == "/invitations/{code}/accept"
            || ["/rotate_secret", "/replay", "/replay_failed", "/undo"]
                .iter()
                .any(|action| path.ends_with(action));
        if (*method == "post" || *method == "put") && !bodiless {
            assert!(
                op["requestBody"].is_object(),
                "{method} {path} documents its body"
            );
        }
    }
    let protected = &doc["paths"]["/users/{user_id}"]["get"];
    assert_eq!(protected["security"][0]["jwt"], serde_json::json!([]));
    assert!(doc["components"]["schemas"]["User"]["properties"]["avatar_url"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}
