//! The account page: your name, and your password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        account::{
            my_sessions, take_password_notice, time_zones, ChangeDisplay, ChangePassword, Rename,
            RevokeSession,
        },
        links::ChangeEmail,
    },
    domain::account::{DateFormat, SessionInfo, SessionView},
    ui::form::{field_error, form_error, FieldError, BUTTON, INPUT},
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let rename = ServerAction::<Rename>::new();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let email_sent = move || email.value().with(|v| matches!(v, Some(Ok(()))));
    let renamed = move || rename.value().with(|v| matches!(v, Some(Ok(()))));
    // A change posted without JavaScript comes back here through a redirect, its answer
    // waiting in the session; the hydrated form shows the action's answer instead.
    let notice = crate::ui::resource(|| (), |_| take_password_notice());
    let changed = move |posted: Option<usize>| {
        password
            .value()
            .with(|v| match v {
                Some(Ok(n)) => Some(*n),
                Some(Err(_)) => None,
                None => posted,
            })
            .map(|n| format!("Password changed. {n} other session(s) were signed out."))
    };
    view! {
        <Title text="Your account" />
        <h1 class="text-2xl font-semibold tracking-tight">"Your account"</h1>
        <p class="mt-1 text-sm text-slate-500">{session.user.email.clone()}</p>
        <div class="mt-6 grid max-w-4xl gap-6 md:grid-cols-2">
            <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <h2 class="text-sm font-semibold text-slate-700">"Profile"</h2>
                <ActionForm action=rename attr:class="mt-3 space-y-3" attr:aria-label="Profile">
                    <FieldError message=form_error(rename) />
                    {move || renamed().then(|| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"Saved. Reload to see it everywhere."</p> })}
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Name"</span>
                        <input name="name" required value=session.user.name.clone() class=INPUT />
                        <FieldError message=field_error(rename, "name") />
                    </label>
                    <button type="submit" class=BUTTON>"Save"</button>
                </ActionForm>
            </section>
            <Display current=session.user.display.clone() />
            <crate::ui::two_factor::TwoFactorSection />
            <Sessions />
            <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <h2 class="text-sm font-semibold text-slate-700">"Password"</h2>
                <ActionForm action=password attr:class="mt-3 space-y-3" attr:aria-label="Password">
                    <FieldError message=form_error(password) />
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let posted = notice.await.ok().flatten();
                            move || changed(posted).map(|m| view! { <p role="status" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{m}</p> })
                        })}
                    </Suspense>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Current password"</span>
                        <input type="password" name="current_password" required autocomplete="current-password" class=INPUT />
                        <FieldError message=field_error(password, "currentPassword") />
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"New password (10+ characters)"</span>
                        <input type="password" name="new_password" required autocomplete="new-password" class=INPUT />
                        <FieldError message=field_error(password, "newPassword") />
                    </label>
                    <button type="submit" class=BUTTON>"Change password"</button>
                </ActionForm>
            </section>
            <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <h2 class="text-sm font-semibold text-slate-700">"Email address"</h2>
                <ActionForm action=email attr:class="mt-3 space-y-3" attr:aria-label="Email address">
                    <p class="text-xs text-slate-500">"We send a link to the new address; it replaces the old one when you open it."</p>
                    <FieldError message=form_error(email) />
                    {move || email_sent().then(|| view! { <p role="status" data-testid="email-change-sent" class="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">"Check the new address's inbox for the link (valid 24 hours)."</p> })}
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"New address"</span>
                        <input type="email" name="new_email" required autocomplete="email" class=INPUT />
                        <FieldError message=field_error(email, "newEmail") />
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Current password"</span>
                        <input type="password" name="current_password" required autocomplete="current-password" class=INPUT />
                        <FieldError message=field_error(email, "currentPassword") />
                    </label>
                    <button type="submit" class=BUTTON>"Send the link"</button>
                </ActionForm>
            </section>
        </div>
    }
}

/// The person's time zone and date format. Saved, the page reloads: every time on it is
/// written anew.
#[component]
fn Display(current: crate::domain::account::DisplaySettings) -> impl IntoView {
    let change = ServerAction::<ChangeDisplay>::new();
    let zones = crate::ui::resource(|| (), |_| time_zones());
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(_))) {
            if let Some(w) = leptos::web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-slate-700">"Dates and times"</h2>
            <ActionForm action=change attr:class="mt-3 space-y-3" attr:aria-label="Dates and times">
                <FieldError message=form_error(change) />
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Time zone"</span>
                    <input name="time_zone" required list="time-zones" value=current.time_zone.clone() class=INPUT autocomplete="off" />
                    <FieldError message=field_error(change, "timeZone") />
                </label>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let names = zones.await.unwrap_or_default();
                        view! { <datalist id="time-zones">{names.into_iter().map(|n| view! { <option value=n></option> }).collect_view()}</datalist> }
                    })}
                </Suspense>
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Date format"</span>
                    <select name="date_format" class=INPUT>
                        {DateFormat::ALL.iter().map(|f| view! {
                            <option value=f.as_str() selected=*f == current.date_format>{f.as_str()}</option>
                        }).collect_view()}
                    </select>
                    <FieldError message=field_error(change, "dateFormat") />
                </label>
                <button type="submit" class=BUTTON>"Save"</button>
            </ActionForm>
        </section>
    }
}

/// Each live session (browser or API client) with client, address, tenant and last use;
/// end one, or every other one.
#[component]
fn Sessions() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let list = crate::ui::resource(move || revoke.version().get(), |_| my_sessions());
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm md:col-span-2" aria-labelledby="sessions-title">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 id="sessions-title" class="text-sm font-semibold text-slate-700">"Sessions"</h2>
                <ActionForm action=revoke attr:aria-label="Sign out everywhere else">
                    <input type="hidden" name="id" value="" />
                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50">"Sign out everywhere else"</button>
                </ActionForm>
            </div>
            <FieldError message=form_error(revoke) />
            <Transition fallback=|| view! { <p class="mt-3 text-sm text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let sessions = list.await.unwrap_or_default();
                    view! {
                        <ul data-testid="sessions" class="mt-3 divide-y divide-slate-100 text-sm">
                            {sessions.into_iter().map(|s| view! { <SessionRow session=s revoke /> }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionInfo, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let kind = if session.kind == "WEB" {
        "Browser"
    } else {
        "API client"
    };
    let client = session
        .client
        .map(|c| c.chars().take(80).collect::<String>())
        .unwrap_or_else(|| "Unknown client".into());
    let details = format!(
        "{} · {} · signed in {} · last used {}",
        session.address.unwrap_or_else(|| "unknown address".into()),
        session.tenant.unwrap_or_default(),
        crate::ui::time::minute(&session.created_at),
        crate::ui::time::minute(&session.last_seen_at),
    );
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="session">
            <span class="min-w-0">
                <span class="font-medium text-slate-800">{kind}</span>
                {session.current.then(|| view! { <span class="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900">"This session"</span> })}
                <span class="block truncate text-xs text-slate-600">{client}</span>
                <span class="block text-xs text-slate-600">{details}</span>
            </span>
            <ActionForm action=revoke attr:aria-label=format!("End the session {}", session.id)>
                <input type="hidden" name="id" value=session.id.to_string() />
                <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50">
                    {if session.current { "Sign out here" } else { "End" }}
                </button>
            </ActionForm>
        </li>
    }
}
