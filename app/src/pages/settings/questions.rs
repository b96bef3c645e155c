//! Questions in the order reps ask them (drag to reorder), and the options of each
//! campaign's choice questions.

use super::{load_failed, read_only, settings_page, Confirm, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::components::reorder::{reorder_list, Ordered};
use crate::rpc::board::{catalog, Choices};
use crate::rpc::company::my_standing;
use crate::rpc::process::{
    campaign_questions, questions, CreateQuestion, DeleteQuestion, ReorderQuestions,
    SaveCampaignOptions, UpdateQuestion,
};
use leadsy::questions::Question;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn QuestionsSettings() -> impl IntoView {
    settings_page("questions", |company_id| {
        view! {
            <Questions company_id/>
            <CampaignOptions company_id/>
        }
        .into_any()
    })
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "number" => "Number",
        "single_choice" => "Single choice",
        "multi_choice" => "Multiple choice",
        _ => "Text",
    }
}

#[component]
fn Questions(company_id: i64) -> impl IntoView {
    let create = ServerAction::<CreateQuestion>::new();
    let delete = ServerAction::<DeleteQuestion>::new();
    let reorder = ServerAction::<ReorderQuestions>::new();
    let edit = ServerAction::<UpdateQuestion>::new();
    let list = Resource::new(move || company_id, questions);
    let choices = Resource::new(move || company_id, catalog);
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (list.await, choices.await, me.await) {
                    (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => load_failed(e),
                    (Ok(list), Ok(choices), Ok(me)) => view! {
                        <QuestionList company_id list choices manages=me.manages() create delete reorder edit/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QuestionList(
    company_id: i64,
    list: Vec<Question>,
    choices: Choices,
    manages: bool,
    create: ServerAction<CreateQuestion>,
    delete: ServerAction<DeleteQuestion>,
    reorder: ServerAction<ReorderQuestions>,
    edit: ServerAction<UpdateQuestion>,
) -> impl IntoView {
    let outcome: Outcome = create.value().into();
    let edit_outcome: Outcome = edit.value().into();
    // A refused edit comes back open, in its own row only.
    let edited: Option<i64> = typed(edit_outcome, "question_id").and_then(|v| v.parse().ok());
    let delete_outcome: Outcome = delete.value().into();
    let reorder_outcome: Outcome = reorder.value().into();
    let field = move |key: &'static str| move || error_of(outcome)().and_then(|e| e.field(key));
    let ids = list.iter().map(|q| q.id).collect::<Vec<_>>();
    let campaigns = choices.campaigns.clone();
    let row = move |id: i64| -> AnyView {
        let Some(q) = list.iter().find(|q| q.id == id).cloned() else {
            return ().into_any();
        };
        let campaigns = campaigns.clone();
        let campaign = q
            .campaign_id
            .and_then(|c| campaigns.iter().find(|x| x.id == c))
            .map(|c| c.name.clone());
        let text = q.text.clone();
        let refused = edited == Some(id);
        let shown = move |name: &str, kept: String| {
            if refused {
                typed(edit_outcome, name).unwrap_or_default()
            } else {
                kept
            }
        };
        let error = move |key: &'static str| {
            move || {
                error_of(edit_outcome)()
                    .filter(|_| refused)
                    .and_then(|e| e.field(key))
            }
        };
        let chosen = if refused {
            typed(edit_outcome, "campaign_id").and_then(|v| v.parse().ok())
        } else {
            q.campaign_id
        };
        let (edit_text, edit_options) = (
            shown("text", q.text.clone()),
            shown("options", q.options.join("\n")),
        );
        let choice = q.kind.ends_with("_choice");
        let editor = manages.then(|| view! {
            <details class="w-full" open=refused data-testid="edit-question">
                <summary class="cursor-pointer text-sm text-indigo-800 hover:underline">"Edit"</summary>
                <FormError outcome=edit_outcome fields=&["text", "options", "campaign_id"]/>
                <ActionForm action=edit attr:class="mt-2 grid gap-3 sm:grid-cols-2">
                    <input type="hidden" name="company_id" value=company_id/>
                    <input type="hidden" name="question_id" value=id/>
                    <label class="block text-sm sm:col-span-2">
                        <span class="font-medium text-slate-800">"Question"</span>
                        <input name="text" required value=edit_text class=INPUT/>
                        {move || error("text")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Question "{m}</span> })}
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-800">"Campaign"</span>
                        <select name="campaign_id" class=INPUT>
                            <option value="">"Every lead"</option>
                            {campaigns.iter().map(|c| view! { <option value=c.id selected=chosen == Some(c.id)>{c.name.clone()}</option> }).collect_view()}
                        </select>
                        {move || error("campaign_id")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Campaign "{m}</span> })}
                    </label>
                    {choice.then(|| view! {
                        <label class="block text-sm sm:col-span-2">
                            <span class="font-medium text-slate-800">"Options, one per line"</span>
                            <textarea name="options" rows="3" class=INPUT>{edit_options}</textarea>
                            {move || error("options")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Options "{m}</span> })}
                        </label>
                    })}
                    <p class="text-xs text-slate-600 sm:col-span-2">"The kind of answer stays as it is: answers already given were checked against it."</p>
                    <div class="sm:col-span-2"><button type="submit" class=BUTTON>"Save question"</button></div>
                </ActionForm>
            </details>
        });
        view! {
            <div class="flex flex-wrap items-start gap-3" data-testid="question" data-text=q.text.clone()>
                <div class="flex flex-1 flex-wrap items-center gap-2">
                <span class="font-medium">{q.text.clone()}</span>
                <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{kind_label(&q.kind)}</span>
                {campaign.map(|c| view! { <span class="rounded-full bg-amber-50 px-2 py-0.5 text-xs text-amber-800">{c}</span> })}
                {(!q.options.is_empty()).then(|| view! { <span class="text-xs text-slate-600">{q.options.join(" · ")}</span> })}
                </div>
                {manages.then(|| view! {
                    <Confirm action=DeleteQuestion::PATH label="Delete" question=format!("Delete the question {text}? Its answers are no longer shown.")>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="question_id" value=id/>
                    </Confirm>
                })}
                {editor}
            </div>
        }
        .into_any()
    };
    let empty = ids.is_empty();
    view! {
        <Panel title="Questions" note="What reps ask about each lead, in this order. Drag a question to move it.">
            <FormError outcome=delete_outcome/>
            <FormError outcome=reorder_outcome/>
            {(!manages).then(|| read_only("managers and admins"))}
            {if empty {
                view! { <p class="text-sm text-slate-600">"No questions yet."</p> }.into_any()
            } else {
                view! {
                    {reorder_list(company_id, ids, Ordered::Questions, manages, row)}
                }
                .into_any()
            }}
        </Panel>
        {manages.then(|| view! {
            <Panel title="New question">
                <FormError outcome fields=&["text", "kind", "options", "campaign_id"]/>
                <ActionForm action=create attr:class="grid gap-3 sm:grid-cols-2">
                    <input type="hidden" name="company_id" value=company_id/>
                    <label class="block text-sm sm:col-span-2">
                        <span class="font-medium text-slate-700">"Question"</span>
                        <input name="text" required value=typed(outcome, "text") placeholder="What is your budget?" class=INPUT data-testid="question-text"/>
                        {move || field("text")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Question "{m}</span> })}
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Answer kind"</span>
                        <select name="kind" class=INPUT data-testid="question-kind">
                            {leadsy::questions::KINDS.iter().map(|k| view! { <option value=*k>{kind_label(k)}</option> }).collect_view()}
                        </select>
                        {move || field("kind")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Kind "{m}</span> })}
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Campaign"</span>
                        <select name="campaign_id" class=INPUT>
                            <option value="">"Every lead"</option>
                            {choices.campaigns.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                        </select>
                        {move || field("campaign_id")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Campaign "{m}</span> })}
                    </label>
                    <label class="block text-sm sm:col-span-2">
                        <span class="font-medium text-slate-700">"Options"</span>
                        <textarea name="options" rows="3" placeholder="One per line, for choice questions" class=INPUT data-testid="question-options">{typed(outcome, "options")}</textarea>
                        {move || field("options")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Options "{m}</span> })}
                    </label>
                    <div class="sm:col-span-2"><button type="submit" class=BUTTON>"Add question"</button></div>
                </ActionForm>
            </Panel>
        })}
    }
}

/// One campaign's choice questions with their options, saved all at once.
#[component]
fn CampaignOptions(company_id: i64) -> impl IntoView {
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("campaign")
            .and_then(|v| v.parse::<i64>().ok())
    });
    let save = ServerAction::<SaveCampaignOptions>::new();
    let outcome: Outcome = save.value().into();
    let choices = Resource::new(move || company_id, catalog);
    let list = Resource::new(
        move || (chosen.get(), save.version().get()),
        move |(campaign, _)| async move {
            match campaign {
                Some(id) => campaign_questions(company_id, id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match (choices.await, list.await, me.await) {
                    (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => load_failed(e),
                    (Ok(choices), Ok(list), Ok(me)) => view! {
                        <Panel title="Campaign questions" note="The questions asked for one campaign, with the options of its choice questions.">
                            <form method="get" action="/settings/questions" class="flex items-end gap-3">
                                <label class="block flex-1 text-sm">
                                    <span class="font-medium text-slate-700">"Campaign"</span>
                                    <select name="campaign" class=INPUT data-testid="campaign-pick">
                                        <option value="">"Choose a campaign"</option>
                                        {choices.campaigns.iter().map(|c| view! {
                                            <option value=c.id selected=chosen.get_untracked() == Some(c.id)>{c.name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">"Show"</button>
                            </form>
                            {match (list, chosen.get_untracked()) {
                                (Some(qs), Some(campaign_id)) if !qs.is_empty() => {
                                    let editable = me.manages() && qs.iter().any(|q| q.kind.ends_with("_choice"));
                                    view! {
                                    <FormError outcome/>
                                    <ActionForm action=save attr:class="space-y-3">
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="hidden" name="campaign_id" value=campaign_id/>
                                        {qs.into_iter().map(|q| {
                                            let choice = q.kind.ends_with("_choice");
                                            view! {
                                                <div class="rounded-lg border border-slate-100 p-3" data-testid="campaign-question">
                                                    <p class="font-medium">{q.text.clone()}" "<span class="text-xs font-normal text-slate-600">{kind_label(&q.kind)}</span></p>
                                                    {if choice && me.manages() {
                                                        view! {
                                                            <textarea name=format!("options[{}]", q.id) rows="3" class=INPUT aria-label=format!("Options of {}", q.text)>{q.options.join("\n")}</textarea>
                                                        }.into_any()
                                                    } else if choice {
                                                        view! { <p class="text-sm text-slate-600">{q.options.join(" · ")}</p> }.into_any()
                                                    } else {
                                                        view! { <p class="text-sm text-slate-600">"Free answer, no options."</p> }.into_any()
                                                    }}
                                                </div>
                                            }
                                        }).collect_view()}
                                        {editable.then(|| view! { <button type="submit" class=BUTTON>"Save options"</button> })}
                                    </ActionForm>
                                    }.into_any()
                                }
                                (Some(_), Some(_)) => view! { <p class="text-sm text-slate-600">"This campaign has no questions of its own yet; add one above and pick the campaign."</p> }.into_any(),
                                _ => ().into_any(),
                            }}
                        </Panel>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
