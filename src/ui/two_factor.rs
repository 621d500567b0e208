//! The second factor in the browser: the account page's section (set up an authenticator app
//! from its QR code, recovery codes, turning it off) and the login's code step.

use leptos::{html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    api::two_factor::{
        login_step, my_two_factor, BeginTwoFactor, ChangeTwoFactor, CodeAction, VerifyCode,
    },
    domain::two_factor::TwoFactorSetup,
    ui::form::{field_error, form_error, FieldError, PostForm, BUTTON, INPUT},
};

const SECONDARY: &str =
    "rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50";

/// The account page's "Two-factor authentication" section.
#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    // Turning on and new recovery codes both answer codes (their forms never show together);
    // turning off has its own action, so that its errors show under its own form.
    let code = ServerAction::<ChangeTwoFactor>::new();
    let disable = ServerAction::<ChangeTwoFactor>::new();
    let status = crate::ui::resource(
        move || {
            (
                code.version().get(),
                disable.version().get(),
                begin.version().get(),
            )
        },
        |_| my_two_factor(),
    );
    // Turned off: the old setup and codes are gone with it.
    Effect::new(move |_| {
        if matches!(disable.value().get(), Some(Ok(_))) {
            begin.value().set(None);
            code.value().set(None);
        }
    });
    // The setup waiting for its first code (shown while the status says off).
    let setup = move || begin.value().get().and_then(Result::ok);
    let new_codes = move || {
        code.value()
            .get()
            .and_then(Result::ok)
            .filter(|c| !c.is_empty())
    };
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm md:col-span-2" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title" class="text-sm font-semibold text-slate-700">"Two-factor authentication"</h2>
            <p class="mt-1 text-xs text-slate-600">
                "Signing in then also asks for a code from an authenticator app on your phone (such as Google Authenticator, Aegis or 1Password)."
            </p>
            <FieldError message=form_error(begin) />
            {move || new_codes().map(|codes| view! { <RecoveryCodeList codes /> })}
            <Transition fallback=|| view! { <p class="mt-3 text-sm text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(now) = status.await else {
                        return view! { <p class="mt-3 text-sm text-red-700">"Could not load this section."</p> }.into_any();
                    };
                    if now.enabled {
                        let left = format!("On. {} recovery code(s) left.", now.recovery_codes_left);
                        view! {
                            <p data-testid="two-factor-state" class="mt-3 text-sm font-medium text-emerald-800">{left}</p>
                            {now.required.then(|| view! {
                                <p class="mt-1 text-xs text-slate-600">"A tenant you administer requires it, so it stays on."</p>
                            })}
                            <div class="mt-3 grid gap-4 md:grid-cols-2">
                                <CodeForm action=code kind=CodeAction::RenewCodes label="Get new recovery codes" hint="A code from your app; the old recovery codes stop working." />
                                {(!now.required).then(|| view! {
                                    <CodeForm action=disable kind=CodeAction::Disable label="Turn off" hint="A code from your app, or a recovery code." />
                                })}
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <p data-testid="two-factor-state" class="mt-3 text-sm font-medium text-slate-700">"Off."</p>
                            {now.required.then(|| view! {
                                <p role="alert" class="mt-1 text-sm text-amber-900">"A tenant you administer requires it: set it up now."</p>
                            })}
                            {move || match setup() {
                                Some(s) => view! { <SetupSteps setup=s action=code /> }.into_any(),
                                None => view! {
                                    <ActionForm action=begin attr:class="mt-3" attr:aria-label="Set up two-factor authentication">
                                        <button type="submit" class=BUTTON>"Set up"</button>
                                    </ActionForm>
                                }
                                .into_any(),
                            }}
                        }
                        .into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// The QR code, the secret for typing in by hand, and the field for the app's first code.
#[component]
fn SetupSteps(setup: TwoFactorSetup, action: ServerAction<ChangeTwoFactor>) -> impl IntoView {
    view! {
        <div class="mt-3 flex flex-wrap items-start gap-6">
            <ScanCode setup />
            <CodeForm action kind=CodeAction::Confirm label="Turn on" hint="The six-digit code your app shows for Inti." />
        </div>
    }
}

/// The QR code and, below it, the secret for an app that cannot scan.
#[component]
fn ScanCode(setup: TwoFactorSetup) -> impl IntoView {
    view! {
        <figure class="w-52">
            <img src=setup.qr_code alt="QR code for your authenticator app" width="200" height="200" class="rounded border border-slate-200" />
            <figcaption class="mt-2 text-xs text-slate-600">
                "Scan it with your authenticator app, or type this key:"
                <code data-testid="two-factor-secret" class="mt-1 block break-all font-mono text-sm text-slate-900">{setup.secret}</code>
            </figcaption>
        </figure>
    }
}

/// A code field and its button, for one of the changes a code authorizes.
#[component]
fn CodeForm(
    action: ServerAction<ChangeTwoFactor>,
    kind: CodeAction,
    label: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let value = match kind {
        CodeAction::Confirm => "Confirm",
        CodeAction::RenewCodes => "RenewCodes",
        CodeAction::Disable => "Disable",
    };
    view! {
        <ActionForm action attr:class="space-y-2" attr:aria-label=label>
            <input type="hidden" name="action" value=value />
            <label class="block text-sm">
                <span class="font-medium text-slate-700">"Code"</span>
                <input name="code" required autocomplete="one-time-code" inputmode="text" class=INPUT />
                <span class="mt-1 block text-xs text-slate-600">{hint}</span>
            </label>
            <FieldError message=field_error(action, "code") />
            <button type="submit" class=if kind == CodeAction::Disable { SECONDARY } else { BUTTON }>{label}</button>
        </ActionForm>
    }
}

/// New recovery codes, shown once.
#[component]
fn RecoveryCodeList(codes: Vec<String>) -> impl IntoView {
    view! {
        <div role="status" class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-4">
            <p class="text-sm font-semibold text-amber-950">"Your recovery codes"</p>
            <p class="mt-1 text-xs text-amber-950">
                "Each signs you in once if you lose your phone. Save them somewhere safe now: they are not shown again."
            </p>
            <ul data-testid="recovery-codes" class="mt-2 grid grid-cols-2 gap-1 font-mono text-sm text-slate-900 sm:grid-cols-5">
                {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// `/login/verify`: the login's second step, after the password.
#[component]
pub fn LoginVerifyPage() -> impl IntoView {
    let verify = ServerAction::<VerifyCode>::new();
    let step = crate::ui::resource(|| (), |_| login_step());
    let code = NodeRef::<Input>::new();
    let error = move || {
        verify
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.user_message())
    };
    let expired = move || {
        verify
            .value()
            .with(|v| matches!(v, Some(Err(crate::domain::error::AppError::SignInExpired))))
    };
    let codes = move || {
        verify
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|c| !c.is_empty())
    };
    let pending = verify.pending();
    view! {
        <Title text="Two-factor authentication" />
        <main class="flex min-h-screen items-center justify-center px-4">
            <div class="w-full max-w-md">
                <h1 class="mb-6 text-center text-2xl font-semibold tracking-tight">"Two-factor authentication"</h1>
                {move || expired().then(|| view! { <Redirect path="/login" /> })}
                {move || match codes() {
                    Some(codes) => view! {
                        <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                            <p class="text-sm text-slate-700">"Two-factor authentication is on."</p>
                            <RecoveryCodeList codes />
                            <a href="/" class="mt-4 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">"Continue"</a>
                        </div>
                    }
                    .into_any(),
                    None => view! {
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                match step.await {
                                    Ok(Some(step)) => view! {
                                        <PostForm
                                            action=verify
                                            input=move || VerifyCode { code: code.get().map(|i| i.value()).unwrap_or_default() }
                                            attr:class="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
                                            attr:aria-label="Verify"
                                        >
                                            {match step.setup {
                                                Some(setup) => view! {
                                                    <p class="text-sm text-slate-700">
                                                        "Your tenant requires administrators to use two-factor authentication. Add Inti to your authenticator app, then enter the code it shows."
                                                    </p>
                                                    <ScanCode setup />
                                                }
                                                .into_any(),
                                                None => view! {
                                                    <p class="text-sm text-slate-700">"Enter the six-digit code from your authenticator app, or one of your recovery codes."</p>
                                                }
                                                .into_any(),
                                            }}
                                            {move || error().map(|m| view! {
                                                <p role="alert" data-testid="verify-error" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{m}</p>
                                            })}
                                            <label class="block text-sm">
                                                <span class="font-medium text-slate-700">"Code"</span>
                                                <input name="code" node_ref=code required autofocus autocomplete="one-time-code" class=INPUT />
                                            </label>
                                            <button type="submit" class="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-slate-700 disabled:opacity-60" disabled=move || pending.get()>
                                                "Verify"
                                            </button>
                                        </PostForm>
                                    }
                                    .into_any(),
                                    _ => view! { <Redirect path="/login" /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    }
                    .into_any(),
                }}
                <p class="mt-4 text-center text-sm">
                    <a href="/login" class="font-medium text-amber-800 underline hover:text-amber-950">"Start again"</a>
                </p>
            </div>
        </main>
    }
}
