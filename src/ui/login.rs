//! The login page. A plain HTML form posting to the `login` server function, so it works
//! before (or without) WebAssembly; once hydrated, it submits without a page load.

use leptos::{html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    api::auth::{current_session, Login},
    domain::login::Password,
    ui::form::PostForm,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    // Created inside the routes, so that a failed form post without JavaScript (which comes
    // back with the error in the URL) shows its error here.
    let login = ServerAction::<Login>::new();
    let session = crate::ui::resource(|| (), |_| current_session());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.user_message())
    };
    let pending = login.pending();
    let (email, password) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    let hydrated = crate::ui::hydration_flag();

    view! {
        <Title text="Sign in" />
        <Suspense>
            {move || Suspend::new(async move {
                matches!(session.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
            })}
        </Suspense>
        <main class="flex min-h-screen items-center justify-center px-4">
            <div class="w-full max-w-sm">
                <div class="mb-8 text-center">
                    <div class="mx-auto mb-3 flex h-12 w-12 items-center justify-center rounded-xl bg-amber-500 text-2xl font-bold text-white shadow">
                        "☀"
                    </div>
                    <h1 class="text-2xl font-semibold tracking-tight">"Sign in to Inti"</h1>
                    <p class="mt-1 text-sm text-slate-500">"One place for your tenants and services"</p>
                </div>
                <PostForm
                    action=login
                    input=move || Login {
                        email: email.get().map(|i| i.value()).unwrap_or_default(),
                        password: Password(password.get().map(|i| i.value()).unwrap_or_default()),
                    }
                    attr:class="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
                    attr:aria-label="Sign in"
                    attr:data-hydrated=move || hydrated.get().then_some("true")
                >
                    {move || {
                        error()
                            .map(|message| {
                                view! {
                                    <p
                                        role="alert"
                                        data-testid="login-error"
                                        class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
                                    >
                                        {message}
                                    </p>
                                }
                            })
                    }}
                    <label class="block">
                        <span class="text-sm font-medium text-slate-700">"Email"</span>
                        <input
                            type="email"
                            name="email"
                            node_ref=email
                            required
                            autocomplete="username"
                            autofocus
                            class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200"
                        />
                    </label>
                    <label class="block">
                        <span class="text-sm font-medium text-slate-700">"Password"</span>
                        <input
                            type="password"
                            name="password"
                            node_ref=password
                            required
                            autocomplete="current-password"
                            class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200"
                        />
                    </label>
                    <button
                        type="submit"
                        class="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-slate-700 disabled:opacity-60"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </PostForm>
                <p class="mt-4 text-center text-sm">
                    <a href="/forgot-password" class="font-medium text-amber-700 underline hover:text-amber-900">"Forgot your password?"</a>
                </p>
            </div>
        </main>
    }
}
