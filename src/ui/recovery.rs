//! The pages that e-mailed links open, and the way to ask for one: forgot password, choose a
//! password (an invitation's first one, or after a reset) and confirm a new address. None
//! needs a session: the link is the credential.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::links::{inspect_link, ConfirmEmail, RequestPasswordReset, SetPasswordFromLink},
    domain::{invitation::LinkView, login::Password},
    ui::form::{field_error, form_error, FieldError, BUTTON, INPUT},
};

const NOTICE: &str = "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800";
const LINK: &str = "font-medium text-amber-700 underline hover:text-amber-900";

/// The centred card these pages share with the login page's look.
#[component]
fn Card(title: &'static str, children: Children) -> impl IntoView {
    let hydrated = crate::ui::hydration_flag();
    view! {
        <main class="flex min-h-screen items-center justify-center px-4" data-hydrated=move || hydrated.get().then_some("true")>
            <div class="w-full max-w-md">
                <div class="mb-6 text-center">
                    <div class="mx-auto mb-3 flex h-12 w-12 items-center justify-center rounded-xl bg-amber-500 text-2xl font-bold text-white shadow">"☀"</div>
                    <h1 class="text-2xl font-semibold tracking-tight">{title}</h1>
                </div>
                <div class="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children()}</div>
                <p class="mt-4 text-center text-sm"><a class=LINK href="/login">"Back to sign in"</a></p>
            </div>
        </main>
    }
}

/// The `token` of the page's address.
fn token() -> String {
    use_query_map().with_untracked(|q| q.get("token").unwrap_or_default())
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let sent = move || request.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
        <Title text="Forgot password" />
        <Card title="Forgot your password?">
            <ActionForm action=request attr:class="space-y-4" attr:aria-label="Forgot password">
                <p class="text-sm text-slate-600">"Enter the address you sign in with. If an account uses it, we e-mail it a link to choose a new password."</p>
                <FieldError message=form_error(request) />
                {move || sent().then(|| view! {
                    <p role="status" data-testid="reset-requested" class=NOTICE>"If an account uses this address, a link is on its way. It works for one hour."</p>
                })}
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Email"</span>
                    <input type="email" name="email" required autocomplete="username" class=INPUT />
                    <FieldError message=field_error(request, "email") />
                </label>
                <button type="submit" class=format!("{BUTTON} w-full") disabled=move || request.pending().get()>"Send me a link"</button>
            </ActionForm>
        </Card>
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let token = token();
    let link = {
        let token = token.clone();
        crate::ui::resource(move || token.clone(), |t| inspect_link(Password(t)))
    };
    view! {
        <Title text="Choose a password" />
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match link.await {
                        Ok(view) => view! { <ChooseForm token view /> }.into_any(),
                        Err(e) => view! {
                            <Card title="This link cannot be used">
                                <p role="alert" data-testid="link-error" class="text-sm text-red-700">{e.user_message()}</p>
                                <p class="text-sm"><a class=LINK href="/forgot-password">"Ask for a new link"</a></p>
                            </Card>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ChooseForm(token: String, view: LinkView) -> impl IntoView {
    let set = ServerAction::<SetPasswordFromLink>::new();
    let done = move || {
        set.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().copied()))
    };
    let invitation = view.purpose == "INVITATION";
    let title = if invitation {
        "Welcome to Inti"
    } else {
        "Choose a new password"
    };
    let has_invitations = !view.invitations.is_empty();
    view! {
        <Card title=title>
            {move || match done() {
                Some(accepted) => view! {
                    <p role="status" data-testid="password-set" class=NOTICE>
                        {format!("Your password is set{}. You can sign in now.",
                            if accepted > 0 { format!(" and you joined {accepted} tenant(s)") } else { String::new() })}
                    </p>
                    <a class=format!("{BUTTON} block text-center") href="/login">"Sign in"</a>
                }.into_any(),
                None => ().into_any(),
            }}
            <ActionForm action=set attr:class="space-y-4" attr:aria-label="Choose a password"
                attr:hidden=move || done().is_some()>
                <p class="text-sm text-slate-600">"For "<strong data-testid="link-email">{view.email.clone()}</strong>". Only you choose it; nobody else ever sees it."</p>
                <FieldError message=form_error(set) />
                <FieldError message=field_error(set, "token") />
                <input type="hidden" name="token" value=token />
                {has_invitations.then(|| view! {
                    <fieldset class="space-y-2">
                        <legend class="text-sm font-medium text-slate-700">"Invitations waiting for you"</legend>
                        {view.invitations.iter().enumerate().map(|(i, inv)| view! {
                            <label class="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm" data-testid="link-invitation">
                                <input type="checkbox" name=format!("accept[{i}]") value=inv.id.to_string() checked />
                                <span>"Join "<strong>{inv.tenant_name.clone()}</strong>" as "{inv.role.clone()}</span>
                            </label>
                        }).collect_view()}
                        <p class="text-xs text-slate-500">"Untick any you want to decide on later: they wait on your dashboard."</p>
                    </fieldset>
                })}
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"New password (10+ characters)"</span>
                    <input type="password" name="new_password" required minlength="10" autocomplete="new-password" class=INPUT />
                    <FieldError message=field_error(set, "newPassword") />
                </label>
                <button type="submit" class=format!("{BUTTON} w-full") disabled=move || set.pending().get()>
                    {if invitation { "Set my password" } else { "Change my password" }}
                </button>
            </ActionForm>
        </Card>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmail>::new();
    let changed = move || {
        confirm
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    };
    view! {
        <Title text="Confirm your address" />
        <Card title="Confirm your new address">
            {move || changed().map(|email| view! {
                <p role="status" data-testid="email-changed" class=NOTICE>{format!("Your address is now {email}.")}</p>
            })}
            <ActionForm action=confirm attr:class="space-y-4" attr:aria-label="Confirm your address"
                attr:hidden=move || changed().is_some()>
                <p class="text-sm text-slate-600">"Confirm that this address is yours and should be the one you sign in with."</p>
                <FieldError message=form_error(confirm) />
                <FieldError message=field_error(confirm, "token") />
                <FieldError message=field_error(confirm, "email") />
                <input type="hidden" name="token" value=token() />
                <button type="submit" class=format!("{BUTTON} w-full")>"Confirm my new address"</button>
            </ActionForm>
        </Card>
    }
}
