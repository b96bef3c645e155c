//! The refusals every operation of a kind can answer, added to the OpenAPI
//! document in one place: the handlers describe what is theirs, and this adds what
//! the perimeter and the extractors answer for all of them, so the document names
//! every status a client can meet.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{
    header::Header, Content, OpenApi, Ref, RefOr, Response, ResponseBuilder, Type,
};

/// Operations the rate limiter counts, asked of the limiter itself with the
/// document's path made concrete.
fn is_rate_limited(path: &str, method: &str) -> bool {
    matches!(method, "post" | "put")
        && crate::rate_limit::is_guarded(&format!("/api/v1{}", path.replace("{user_id}", "1")))
}

pub fn add_shared_responses(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
        ];
        for (method, op) in operations {
            if let Some(op) = op.as_mut() {
                shared(path, method, op);
            }
        }
    }
}

fn shared(path: &str, method: &str, op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let in_path = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let has_body = op.request_body.is_some();
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = |status: &str, text: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error(text, matches!(status, "429" | "503")));
    };
    if has_body {
        add(
            "400",
            "Malformed body: not JSON (`Content-Type: application/json`), or not the multipart form",
        );
        add("413", "The body is over the size limit");
        add("422", "Invalid fields");
    }
    if in_query {
        add("422", "A query parameter has a wrong type or value");
    }
    if secured {
        add("401", "No or bad credentials");
        add(
            "403",
            "Not allowed: role too weak, or a cookie-signed write from another site (`CROSS_SITE_REQUEST`)",
        );
    }
    if in_path {
        add(
            "404",
            "Not found (an id that is not a positive integer names nothing)",
        );
    }
    if is_rate_limited(path, method) {
        add(
            "429",
            "Too many attempts from this network or for this account (`RATE_LIMITED`)",
        );
    }
    add("408", "The request did not arrive in time");
    add("414", "The request target is too long (`URI_TOO_LONG`)");
    add(
        "431",
        "The request's headers are too large (`HEADERS_TOO_LARGE`)",
    );
    add("500", "Something went wrong on our side (`INTERNAL_ERROR`)");
    add(
        "503",
        "The database did not answer; try again after `Retry-After` seconds (`SERVICE_UNAVAILABLE`)",
    );
}

fn error(description: &str, retry: bool) -> RefOr<Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        "application/json",
        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
    );
    if retry {
        response = response.header(
            "Retry-After",
            Header::new(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer)),
        );
    }
    RefOr::T(response.build())
}
