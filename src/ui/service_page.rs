//! `/apps/{service}/{item}`: an external service's menu item that opens one of its
//! endpoints. A POST endpoint is the service's generated form, submitted through the
//! gateway; a GET endpoint is a table of its answer, with paging passed through.

use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::service_pages::service_page,
    domain::service::page::{ServicePageView, TableView},
    ui::forms::FormScreen,
};

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.read().get("service").unwrap_or_default(),
            params.read().get("item").unwrap_or_default(),
            query.read().get("page").unwrap_or_default(),
        )
    };
    let loaded = crate::ui::resource(key, |(service, item, page)| {
        service_page(service, item, page)
    });
    // Opened from another site, the page came without the service's data: it loads when
    // the person asks for it here (a link elsewhere must not make the call by itself).
    provide_context(Reload(Callback::new(move |()| loaded.refetch())));
    view! {
        <div class="mx-auto max-w-5xl space-y-6">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => Either::Left(view! { <Screen page /> }),
                        Err(e) => Either::Right(view! {
                            <Title text="Service" />
                            <p role="alert" class="text-red-700">{e.user_message()}</p>
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Loads the page's data again (the deferred table's "Load it").
#[derive(Clone, Copy)]
struct Reload(Callback<()>);

#[component]
fn Screen(page: ServicePageView) -> impl IntoView {
    let ServicePageView {
        service,
        title,
        maintenance,
        down_since,
        table,
        form,
        unresolved,
        ..
    } = page;
    let banner = if maintenance {
        Some(view! {
            <p role="status" class="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
                {format!("{service} is under maintenance; it cannot be used for now.")}
            </p>
        })
    } else {
        down_since.map(|since| view! {
            <p role="status" class="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
                {format!(
                    "{service} has not answered its health checks since {}; what you send may fail.",
                    crate::ui::time::minute(&since)
                )}
            </p>
        })
    };
    let header = view! {
        <header>
            <p class="text-sm text-slate-500">{service.clone()}</p>
            <h1 class="text-2xl font-semibold text-slate-900">{title.clone()}</h1>
        </header>
    };
    let body = match (unresolved, table, form) {
        (Some(why), _, _) => EitherOf3::A(view! {
            {header}
            <section data-testid="item-unresolved" class="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
                <h2 class="font-medium text-slate-900">"This page is not set up yet"</h2>
                <p class="mt-1">{why}</p>
            </section>
        }),
        (None, Some(table), _) => EitherOf3::B(view! { {header} <Table table /> }),
        (None, None, form) => EitherOf3::C(form.map(|view| view! { <FormScreen view /> })),
    };
    view! {
        <Title text=title />
        {banner}
        {body}
    }
}

#[component]
fn Table(table: TableView) -> impl IntoView {
    let TableView {
        columns,
        rows,
        page,
        page_size,
        total,
        error,
        deferred,
    } = table;
    if deferred {
        let reload = use_context::<Reload>();
        return Either::Left(view! {
            <p role="status" data-testid="service-table-deferred" class="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600">
                "This page was opened from another site, so the service's data was not loaded. "
                // Without JavaScript, a link from this site; with it, the same without a reload.
                <a class="font-medium text-amber-700 underline" href=format!("?page={page}")
                    on:click=move |e| {
                        if let Some(Reload(reload)) = reload {
                            e.prevent_default();
                            reload.run(());
                        }
                    }>"Load it"</a>
            </p>
        }
        .into_any());
    }
    if let Some(error) = error {
        return Either::Left(view! {
            <p role="alert" data-testid="service-table-error" class="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
                {error}
            </p>
        }
        .into_any());
    }
    let last_page = total.map(|t| t.div_ceil(u64::from(page_size)).max(1) as u32);
    let prev = (page > 1).then(|| format!("?page={}", page - 1));
    let full = rows.len() as u32 >= page_size;
    let next = match last_page {
        Some(last) => (page < last).then(|| format!("?page={}", page + 1)),
        None => full.then(|| format!("?page={}", page + 1)),
    };
    let summary = match (last_page, total) {
        (Some(last), Some(t)) => format!("Page {page} of {last} · {t} in all"),
        _ => format!("Page {page}"),
    };
    if rows.is_empty() && page == 1 {
        return Either::Right(Either::Left(view! {
            <div data-testid="service-table-empty" class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
                <p class="font-medium">"Nothing here yet."</p>
            </div>
        }));
    }
    Either::Right(Either::Right(view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="service-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>{columns.into_iter().map(|c| view! { <th scope="col" class="px-4 py-3">{c.label}</th> }).collect_view()}</tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| view! {
                        <tr data-testid="service-row">
                            {r.into_iter().map(|c| view! { <td class="max-w-md px-4 py-2 text-slate-700">{crate::ui::time::cell(&c)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="flex items-center justify-between text-sm text-slate-600" aria-label="Pages">
            <span>{summary}</span>
            <span class="flex gap-3">
                {prev.map(|h| view! { <a class="underline" href=h rel="prev">"← Previous"</a> })}
                {next.map(|h| view! { <a class="underline" href=h rel="next">"Next →"</a> })}
            </span>
        </nav>
    }))
}
