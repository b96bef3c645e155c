use crate::error::AppError;
use leptos::prelude::*;

/// The last result of a form's action. Forms post as plain HTML forms; when one is
/// refused the server renders its page again (see the server's `forms` layer) and
/// the refusal arrives here as the action's value.
pub type Outcome = Signal<Option<Result<(), AppError>>>;

/// A refused form post that the page is being rendered again for: the server
/// function it went to, its error as leptos encodes it, and what the user typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub path: String,
    pub error: String,
    pub values: Vec<(String, String)>,
}

/// Hands a replayed post (from the request the page renders for) to the page's
/// actions and inputs.
#[cfg(feature = "ssr")]
pub fn provide_replayed() {
    let replayed = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Replayed>().cloned());
    if let Some(r) = replayed {
        provide_context(leptos::server::ServerActionError::new(&r.path, &r.error));
        provide_context(r);
    }
}

/// What the user typed into `name` when the form that holds it was refused, so a
/// failed form comes back filled in.
pub fn typed(outcome: Outcome, name: &str) -> Option<String> {
    if !matches!(outcome.get_untracked(), Some(Err(_))) {
        return None;
    }
    with_context::<Replayed, _>(|r| {
        r.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })
    .flatten()
}

pub fn error_of(outcome: Outcome) -> impl Fn() -> Option<AppError> + Copy {
    move || outcome.get().and_then(Result::err)
}

/// A labelled input with the messages of its own validation errors beneath it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    /// The field's name in the domain's errors when the input's differs (`form[email]`).
    #[prop(optional)]
    key: Option<&'static str>,
    /// The input's id when two forms of a page have a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    outcome: Outcome,
) -> impl IntoView {
    let key = key.unwrap_or(name);
    // A password is never sent back, whatever the field is called.
    let value = (kind != "password")
        .then(|| typed(outcome, name))
        .flatten()
        .or(value);
    let error = move || error_of(outcome)().and_then(|e| e.field(key));
    let id = id.map_or_else(|| format!("field-{key}"), String::from);
    let label_for = id.clone();
    view! {
        <label class="block" for=label_for>
            <span class="text-sm font-medium text-slate-700">{label}</span>
            <input
                id=id
                type=kind
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
                aria-invalid=move || error().is_some().to_string()
            />
            {move || error().map(|m| view! { <span class="mt-1 block text-sm text-red-700" role="alert">{label}" "{m}</span> })}
        </label>
    }
}

/// The form's error when it is not about one field (wrong password, conflicts, …).
#[component]
pub fn FormError(
    outcome: Outcome,
    #[prop(optional)] fields: &'static [&'static str],
) -> impl IntoView {
    let error =
        move || error_of(outcome)().filter(|e| !fields.iter().any(|f| e.field(f).is_some()));
    move || {
        error().map(|e| {
            view! {
                <div class="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700" role="alert" data-testid="form-error">
                    {e.to_string()}
                    {e.is_plan_limit().then(|| view! {
                        " "<a href="/settings/plan" class="font-medium underline">"See the plans"</a>
                    })}
                </div>
            }
        })
    }
}

#[component]
pub fn Submit(label: &'static str) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-700"
        >
            {label}
        </button>
    }
}

/// The refusal of a server function posted by a form that has no action on the
/// page (an upload), when the page renders again for it.
pub fn posted_error<F: leptos::server_fn::ServerFn>() -> Option<AppError> {
    use_context::<Replayed>()
        .filter(|r| r.path == F::PATH)
        .map(|r| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&r.error))
}
