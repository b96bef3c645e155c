//! The company's questions as inputs, one per question and of its kind: a line of
//! text, a number, a menu of the options, or a box per option. The lead page and
//! the lead form both answer through them; the server checks each answer by kind
//! and a refusal shows beside its question.

use crate::components::form::{error_of, typed, Outcome};
use crate::components::panel::INPUT;
use leadsy::questions::Question;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// `prefix` names the inputs (`answers` gives `answers[7][0]`); `answers` are the
/// lead's current ones, keyed by question id.
#[component]
pub fn AnswerInputs(
    questions: Vec<Question>,
    answers: Map<String, Value>,
    prefix: &'static str,
    outcome: Outcome,
) -> impl IntoView {
    questions
        .into_iter()
        .map(|q| {
            let key = q.id.to_string();
            let name = move |i: usize| format!("{prefix}[{}][{i}]", q.id);
            let current: Vec<String> = match answers.get(&key) {
                Some(Value::Array(items)) => items.iter().map(plain).collect(),
                Some(v) => vec![plain(v)],
                None => vec![],
            };
            let refused = matches!(outcome.get_untracked(), Some(Err(_)));
            // What was typed, when the form comes back refused; else the answer kept.
            let shown = |i: usize, fallback: Option<String>| {
                if refused {
                    typed(outcome, &name(i))
                } else {
                    fallback
                }
            };
            let field = format!("answers.{key}");
            let error = move || error_of(outcome)().and_then(|e| e.field(&field));
            let id = format!("question-{}", q.id);
            let input = match q.kind.as_str() {
                "multi_choice" => view! {
                    <span class="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                        {q.options.iter().enumerate().map(|(i, o)| {
                            let ticked = shown(i, current.iter().any(|c| c == o).then(|| o.clone())).is_some();
                            view! {
                                <label class="inline-flex items-center gap-1.5 text-sm text-slate-800">
                                    <input type="checkbox" name=name(i) value=o.clone() checked=ticked class="h-4 w-4"/>
                                    {o.clone()}
                                </label>
                            }
                        }).collect_view()}
                    </span>
                }
                .into_any(),
                "single_choice" => {
                    let chosen = shown(0, current.first().cloned()).unwrap_or_default();
                    view! {
                        <select id=id.clone() name=name(0) class=INPUT>
                            <option value="">"No answer"</option>
                            {q.options.iter().map(|o| view! { <option value=o.clone() selected=*o == chosen>{o.clone()}</option> }).collect_view()}
                        </select>
                    }
                    .into_any()
                }
                kind => view! {
                    <input id=id.clone() name=name(0) value=shown(0, current.first().cloned()).unwrap_or_default()
                        inputmode=(kind == "number").then_some("decimal")
                        maxlength=leadsy::questions::MAX_TEXT_ANSWER
                        class=INPUT/>
                }
                .into_any(),
            };
            let grouped = q.kind == "multi_choice";
            view! {
                <div class="block" role=grouped.then_some("group") aria-labelledby=grouped.then(|| format!("{id}-label")) data-testid="question-input">
                    <label for=(!grouped).then(|| id.clone()) id=format!("{id}-label") class="text-sm font-medium text-slate-800">{q.text.clone()}</label>
                    {input}
                    {move || error().map(|m| view! { <span class="mt-1 block text-sm text-red-700" role="alert">{m}</span> })}
                </div>
            }
        })
        .collect_view()
}

/// An answer as a person reads it.
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
