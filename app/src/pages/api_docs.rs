//! A readable API reference rendered from Leadsy's own OpenAPI document: no CDN,
//! no client-side viewer, and it can never drift from the routes it describes.

use crate::components::frame::Frame;
use crate::error::AppResult;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The OpenAPI document, provided by the server as context.
#[derive(Clone)]
pub struct OpenApiJson(pub std::sync::Arc<serde_json::Value>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub tag: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub auth: Option<String>,
    /// (name, where, required)
    pub params: Vec<(String, String, bool)>,
    pub request: Option<String>,
    /// (status, description)
    pub responses: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    /// (field, type)
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub title: String,
    pub description: String,
    pub base: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<SchemaDoc>,
}

#[server]
pub async fn api_reference() -> AppResult<Reference> {
    let doc = expect_context::<OpenApiJson>();
    Ok(reference::from_openapi(&doc.0))
}

#[cfg(feature = "ssr")]
mod reference {
    use super::{Operation, Reference, SchemaDoc};
    use serde_json::Value;

    fn ref_name(v: &Value) -> Option<String> {
        v.get("$ref")?
            .as_str()?
            .rsplit('/')
            .next()
            .map(str::to_string)
    }

    fn type_of(v: &Value) -> String {
        if let Some(r) = ref_name(v) {
            return r;
        }
        if let Some(any) = v.get("oneOf").and_then(Value::as_array) {
            let parts: Vec<String> = any.iter().map(type_of).filter(|t| t != "null").collect();
            return format!("{} or null", parts.join(" | "));
        }
        let t = match v.get("type") {
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
            Some(Value::String(t)) => t.clone(),
            _ => "object".into(),
        };
        match v.get("items") {
            Some(items) => format!("{t} of {}", type_of(items)),
            None => match v.get("format").and_then(Value::as_str) {
                Some(f) => format!("{t} ({f})"),
                None => t,
            },
        }
    }

    pub fn from_openapi(doc: &Value) -> Reference {
        let mut operations = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in ["get", "post", "put", "delete"] {
                    let Some(op) = item.get(method) else { continue };
                    let auth = op
                        .get("security")
                        .and_then(Value::as_array)
                        .and_then(|s| s.first())
                        .and_then(Value::as_object)
                        .and_then(|o| o.keys().next().cloned());
                    let params = op
                        .get("parameters")
                        .and_then(Value::as_array)
                        .map(|ps| {
                            ps.iter()
                                .map(|p| {
                                    (
                                        p["name"].as_str().unwrap_or_default().to_string(),
                                        p["in"].as_str().unwrap_or_default().to_string(),
                                        p["required"].as_bool().unwrap_or(false),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let request = op.get("requestBody").and_then(|b| {
                        let content = b.get("content")?.as_object()?;
                        let (media, body) = content.iter().next()?;
                        Some(format!("{} ({media})", type_of(body.get("schema")?)))
                    });
                    let responses = op
                        .get("responses")
                        .and_then(Value::as_object)
                        .map(|rs| {
                            rs.iter()
                                .map(|(status, r)| {
                                    let body = r
                                        .pointer("/content/application~1json/schema")
                                        .map(|s| format!(" → {}", type_of(s)))
                                        .unwrap_or_default();
                                    (
                                        status.clone(),
                                        format!(
                                            "{}{body}",
                                            r["description"].as_str().unwrap_or_default()
                                        ),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    operations.push(Operation {
                        tag: op["tags"][0].as_str().unwrap_or("Other").to_string(),
                        method: method.to_uppercase(),
                        path: path.clone(),
                        summary: op["summary"].as_str().unwrap_or_default().to_string(),
                        auth,
                        params,
                        request,
                        responses,
                    });
                }
            }
        }
        operations.sort_by(|a, b| (&a.tag, &a.path).cmp(&(&b.tag, &b.path)));
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|all| {
                all.iter()
                    .map(|(name, s)| SchemaDoc {
                        name: name.clone(),
                        fields: s
                            .get("properties")
                            .and_then(Value::as_object)
                            .map(|props| {
                                props.iter().map(|(f, v)| (f.clone(), type_of(v))).collect()
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Reference {
            title: doc
                .pointer("/info/title")
                .and_then(Value::as_str)
                .unwrap_or("API")
                .to_string(),
            description: doc
                .pointer("/info/description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            base: doc
                .pointer("/servers/0/url")
                .and_then(Value::as_str)
                .unwrap_or("/")
                .to_string(),
            operations,
            schemas,
        }
    }
}

fn method_class(method: &str) -> &'static str {
    match method {
        "GET" => "bg-sky-100 text-sky-800",
        "POST" => "bg-emerald-100 text-emerald-800",
        "PUT" => "bg-amber-100 text-amber-800",
        _ => "bg-red-100 text-red-800",
    }
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let reference = Resource::new_blocking(|| (), |_| api_reference());
    view! {
        <Frame>
            <Suspense fallback=|| view! { <p>"Loading the reference…"</p> }>
                {move || Suspend::new(async move {
                    reference.await.map(|r| {
                        let mut tags: Vec<String> = r.operations.iter().map(|o| o.tag.clone()).collect();
                        tags.dedup();
                        view! {
                            <div class="space-y-8" data-testid="api-reference">
                                <header>
                                    <h1 class="text-3xl font-semibold">{r.title.clone()}</h1>
                                    <p class="mt-2 text-slate-600">{r.description.clone()}</p>
                                    <p class="mt-2 text-sm">
                                        "Base URL " <code class="rounded bg-slate-100 px-1">{r.base.clone()}</code>
                                        " · " <a class="text-indigo-800 underline" href="/api/v1/openapi.json">"openapi.json"</a>
                                    </p>
                                    <nav class="mt-4 flex flex-wrap gap-2 text-sm">
                                        {tags.iter().map(|t| view! {
                                            <a class="rounded-full bg-slate-200 px-3 py-1 hover:bg-slate-300" href=format!("#{}", t.replace(' ', "-"))>{t.clone()}</a>
                                        }).collect_view()}
                                    </nav>
                                </header>
                                {tags.into_iter().map(|tag| {
                                    let ops: Vec<_> = r.operations.iter().filter(|o| o.tag == tag).cloned().collect();
                                    view! {
                                        <section id=tag.replace(' ', "-")>
                                            <h2 class="mb-3 text-xl font-semibold">{tag.clone()}</h2>
                                            <div class="space-y-3">
                                                {ops.into_iter().map(|o| view! { <OperationCard op=o/> }).collect_view()}
                                            </div>
                                        </section>
                                    }
                                }).collect_view()}
                                <section>
                                    <h2 class="mb-3 text-xl font-semibold">"Schemas"</h2>
                                    <div class="grid gap-3 sm:grid-cols-2">
                                        {r.schemas.iter().map(|s| view! {
                                            <div class="rounded-lg border border-slate-200 bg-white p-4" id=format!("schema-{}", s.name)>
                                                <h3 class="font-mono font-semibold">{s.name.clone()}</h3>
                                                <ul class="mt-2 space-y-1 text-sm">
                                                    {s.fields.iter().map(|(f, t)| view! {
                                                        <li class="break-words"><code>{f.clone()}</code>": "<span class="text-slate-600">{t.clone()}</span></li>
                                                    }).collect_view()}
                                                </ul>
                                            </div>
                                        }).collect_view()}
                                    </div>
                                </section>
                            </div>
                        }
                    })
                })}
            </Suspense>
        </Frame>
    }
}

#[component]
fn OperationCard(op: Operation) -> impl IntoView {
    view! {
        <details class="rounded-lg border border-slate-200 bg-white">
            <summary class="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
                <span class=format!("w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-bold {}", method_class(&op.method))>{op.method.clone()}</span>
                <code class="break-all font-mono text-sm">{op.path.clone()}</code>
                <span class="ml-auto text-sm text-slate-600">{op.summary.clone()}</span>
            </summary>
            <div class="space-y-2 border-t border-slate-100 px-4 py-3 text-sm">
                <p>
                    "Auth: "
                    {match op.auth.as_deref() {
                        Some("jwt") => "Authorization: Bearer <jwt>",
                        Some("platform_token") => "token: <platform API token>",
                        _ => "none",
                    }}
                </p>
                {(!op.params.is_empty()).then(|| view! {
                    <p>"Parameters: "{op.params.iter().map(|(n, w, r)| format!("{n} ({w}{})", if *r { ", required" } else { "" })).collect::<Vec<_>>().join(", ")}</p>
                })}
                {op.request.clone().map(|b| view! { <p class="break-words">"Body: "<code>{b}</code></p> })}
                <ul class="space-y-1">
                    {op.responses.iter().map(|(s, d)| view! {
                        <li><span class="font-mono font-semibold">{s.clone()}</span>" "{d.clone()}</li>
                    }).collect_view()}
                </ul>
            </div>
        </details>
    }
}
