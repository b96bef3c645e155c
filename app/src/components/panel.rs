//! The cards pages are made of, and the looks their forms share.

use crate::error::AppError;
use leptos::prelude::*;

/// A titled card: one section of a page.
#[component]
pub fn Panel(
    title: &'static str,
    #[prop(optional)] note: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-lg font-semibold">{title}</h2>
            {note.map(|n| view! { <p class="mt-1 text-sm text-slate-600">{n}</p> })}
            <div class="mt-4 space-y-4">{children()}</div>
        </section>
    }
}

/// A failed load, in place of the section, and the page answers with the
/// failure's status (404 for a lead that is not the reader's, 403, 503, …).
pub fn load_failed(e: AppError) -> AnyView {
    set_status(&e);
    view! { <p class="rounded-md bg-red-50 p-4 text-red-800" role="alert">{e.to_string()}</p> }
        .into_any()
}

#[cfg(feature = "ssr")]
fn set_status(e: &AppError) {
    let status = match e {
        AppError::Domain(d) => d.status(),
        AppError::Transport(_) => 502,
    };
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        res.set_status(status);
    }
}

#[cfg(not(feature = "ssr"))]
fn set_status(_: &AppError) {}

/// The input look shared by the settings forms.
pub const INPUT: &str =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";
/// A primary button.
pub const BUTTON: &str =
    "rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60";
/// A quiet, destructive button.
pub const DANGER: &str = "text-sm text-red-700 hover:underline";

/// A destructive action that asks first. Its button opens a short confirmation
/// (a plain `<details>`, so it works before any code has loaded and without it)
/// whose own button posts the form to `action`; `children` are the form's hidden
/// inputs. `label` is the button's word, `question` what it will do.
#[component]
pub fn Confirm(
    action: &'static str,
    label: &'static str,
    question: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="relative inline-block" data-testid="confirm">
            <summary class="cursor-pointer list-none text-sm text-red-700 hover:underline [&::-webkit-details-marker]:hidden" aria-label=question.clone()>{label}</summary>
            <div class="absolute right-0 z-20 mt-1 w-64 max-w-[80vw] rounded-lg border border-slate-200 bg-white p-3 text-left shadow-lg">
                <p class="text-sm text-slate-800">{question}</p>
                <form method="post" action=action class="mt-2 flex justify-end">
                    {children()}
                    <button type="submit" class="rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800" data-testid="confirm-yes">{label}</button>
                </form>
            </div>
        </details>
    }
}
