//! Small pieces shared by forms: field errors, the classes every input uses, and the plain
//! post form of the shell.

use leptos::{
    prelude::*,
    server_fn::{codec::PostUrl, Http, ServerFn},
};

use crate::domain::error::AppError;

pub const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200";
pub const BUTTON: &str = "rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-slate-700 disabled:opacity-60";

/// The message of the validation error for `field`, if that is what the action answered.
pub fn field_error<S>(
    action: ServerAction<S>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Send + Sync + 'static
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    move || {
        action.value().with(|v| match v {
            Some(Err(e)) if e.field() == Some(field) => Some(e.user_message()),
            _ => None,
        })
    }
}

/// Any error the action answered that belongs to no single field.
pub fn form_error<S>(action: ServerAction<S>) -> impl Fn() -> Option<String> + Send + Sync + 'static
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    move || {
        action.value().with(|v| match v {
            Some(Err(e)) => match e.field() {
                None | Some("body" | "request") => Some(e.user_message()),
                Some(_) => None,
            },
            Some(Ok(_)) | None => None,
        })
    }
}

#[component]
pub fn FieldError(message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    view! {
        {move || message().map(|m| view! { <p role="alert" class="mt-1 text-xs text-red-700">{m}</p> })}
    }
}

/// One labelled control (an input, a select, a text area) with its hint and its error below:
/// the block every form repeats. `wide` spans both columns of a two-column form.
#[component]
pub fn Field(
    label: &'static str,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <label class="block text-sm" class=("md:col-span-2", wide)>
            <span class="font-medium text-slate-700">{label}</span>
            {children()}
            {hint.map(|h| view! { <span class="mt-1 block text-xs text-slate-500">{h}</span> })}
            <FieldError message=error />
        </label>
    }
}

/// The error of any field under `prefix` (a schema's JSON path), shown with its path.
pub fn field_error_under<S>(
    action: ServerAction<S>,
    prefix: &'static str,
) -> impl Fn() -> Option<String> + Send + Sync + 'static
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    move || {
        action.value().with(|v| match v {
            Some(Err(e)) => e
                .field()
                .filter(|f| {
                    *f == prefix
                        || f.starts_with(&format!("{prefix}."))
                        || f.starts_with(&format!("{prefix}["))
                })
                .map(|f| format!("{f}: {}", e.user_message())),
            _ => None,
        })
    }
}

/// A form posting to `action`'s server function: without JavaScript an ordinary form post
/// (the server answers with a redirect back), once hydrated a dispatch of `input()` with no
/// page load. For the shell's forms (sign in, sign out, switching tenant), which build their
/// input themselves: `ActionForm` reads the posted fields back through a query-string
/// deserializer, which would then sit in the WASM that every page loads. Like `ActionForm`,
/// it relies on the `<Router>` around it for redirects answered to a dispatch.
#[component]
pub fn PostForm<S, O, F>(action: ServerAction<S>, input: F, children: Children) -> impl IntoView
where
    // Form-encoded arguments: what a browser posts without JavaScript.
    S: ServerFn<Protocol = Http<PostUrl, O>> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    F: Fn() -> S + 'static,
{
    view! {
        <form
            method="post"
            action=S::url()
            on:submit=move |ev| {
                if ev.default_prevented() {
                    return;
                }
                ev.prevent_default();
                action.dispatch(input());
            }
        >
            {children()}
        </form>
    }
}
