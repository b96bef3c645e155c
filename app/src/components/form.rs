use crate::error::AppError;
use leptos::prelude::*;

/// The last result of a form's action; errors survive a no-JS round trip because
/// leptos puts them in the redirect's query and restores them here.
pub type Outcome = Signal<Option<Result<(), AppError>>>;

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
            {move || error().map(|m| view! { <span class="mt-1 block text-sm text-red-600" role="alert">{label}" "{m}</span> })}
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
pub fn Submit(
    label: &'static str,
    #[prop(optional)] pending: Option<Signal<bool>>,
) -> impl IntoView {
    let busy = move || pending.is_some_and(|p| p.get());
    view! {
        <button
            type="submit"
            disabled=busy
            class="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60"
        >
            {move || if busy() { "Working…" } else { label }}
        </button>
    }
}

/// The error of a server function posted by a plain form (no action on the page):
/// leptos carries it back in the redirect's `__path`/`__err` query.
pub fn posted_error<F: leptos::server_fn::ServerFn>() -> impl Fn() -> Option<AppError> + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let q = query.read();
        (q.get("__path").as_deref() == Some(F::PATH)).then(|| {
            let err = q.get("__err").unwrap_or_default();
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&err)
        })
    }
}

/// Empties a form once its action succeeded, so that the next entry starts blank
/// (a re-render keeps what the inputs hold).
pub fn reset_on_success(outcome: Outcome, form: NodeRef<leptos::html::Form>) {
    Effect::new(move |_| {
        if matches!(outcome.get(), Some(Ok(()))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
}
