//! What the gateway saw of a service: its recent calls and deliveries, and its health checks.

use super::*;

/// The gateway's call log for the service (never bodies or keys) and the webhook
/// deliveries it sent.
#[component]
pub(super) fn CallsTab(id: String) -> impl IntoView {
    let loaded = crate::ui::resource(move || id.clone(), crate::api::services::service_calls);
    view! {
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Err(e) => Either::Left(view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }),
                    Ok((calls, deliveries)) => Either::Right(view! {
                        <section class="space-y-2">
                            <h2 class="text-lg font-semibold">"Recent calls"</h2>
                            {if calls.is_empty() {
                                Either::Left(view! { <p class="text-sm text-slate-500">"No calls through the gateway yet."</p> })
                            } else {
                                Either::Right(view! {
                                    <Table testid="calls-table" columns=&["When", "User", "Endpoint", "Status", "Latency", "Bytes in / out"]>
                                                {calls.into_iter().map(|c| view! {
                                                    <tr>
                                                        <td class="whitespace-nowrap px-3 py-1.5 tabular-nums">{crate::ui::time::second(&c.created_at)}</td>
                                                        <td class="px-3 py-1.5">{c.user.unwrap_or_else(|| "—".into())}</td>
                                                        <td class="px-3 py-1.5 font-mono text-xs">{format!("{} {} ({})", c.method, c.path, c.endpoint)}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{c.status}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{format!("{} ms", c.latency_ms)}</td>
                                                        <td class="px-3 py-1.5 tabular-nums">{format!("{} / {}", c.request_bytes, c.response_bytes)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </Table>
                                })
                            }}
                        </section>
                        <section class="mt-6 space-y-2">
                            <h2 class="text-lg font-semibold">"Webhook deliveries"</h2>
                            {if deliveries.is_empty() {
                                Either::Left(view! { <p class="text-sm text-slate-500">"No verified deliveries yet."</p> })
                            } else {
                                Either::Right(view! {
                                    <ul class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm">
                                        {deliveries.into_iter().map(|d| view! {
                                            <li class="px-3 py-2">
                                                <span class="tabular-nums text-slate-500">{crate::ui::time::second(&d.received_at)}</span>
                                                " · "<span class="font-medium">{d.event.unwrap_or_else(|| "event".into())}</span>
                                                " · "<span class="font-mono text-xs">{d.delivery_id}</span>
                                                <pre class="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs">{d.payload.to_string()}</pre>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                        </section>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn HealthTab(id: String) -> impl IntoView {
    let loaded = crate::ui::resource(move || id.clone(), crate::api::services::service_health);
    view! {
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Err(e) => Either::Left(view! { <p role="alert" class="text-sm text-red-700">{e.user_message()}</p> }),
                    Ok(report) => Either::Right(view! {
                        <section class="space-y-3">
                            <h2 class="text-lg font-semibold">"Health"</h2>
                            {match report.health {
                                None => Either::Left(view! {
                                    <p class="text-sm text-slate-500">"Not checked yet. Services with a health URL are probed every few seconds."</p>
                                }),
                                Some(h) => Either::Right(view! {
                                    <dl class="grid max-w-xl grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
                                        <dt class="text-slate-500">"Status"</dt><dd><HealthPill health=Some(h.clone()) /></dd>
                                        <dt class="text-slate-500">"Since"</dt><dd class="tabular-nums">{crate::ui::time::second(&h.since)}</dd>
                                        <dt class="text-slate-500">"Last check"</dt><dd class="tabular-nums">{crate::ui::time::second(&h.checked_at)}</dd>
                                        <dt class="text-slate-500">"Last error"</dt><dd>{h.last_error.unwrap_or_else(|| "—".into())}</dd>
                                    </dl>
                                }),
                            }}
                            {(!report.checks.is_empty()).then(|| view! {
                                <Table testid="health-checks" columns=&["When", "Result", "Status", "Latency", "Error"]>
                                            {report.checks.into_iter().map(|c| view! {
                                                <tr>
                                                    <td class="whitespace-nowrap px-3 py-1.5 tabular-nums">{crate::ui::time::second(&c.checked_at)}</td>
                                                    <td class=if c.ok { "px-3 py-1.5 text-emerald-700" } else { "px-3 py-1.5 text-red-700" }>{if c.ok { "OK" } else { "Failed" }}</td>
                                                    <td class="px-3 py-1.5 tabular-nums">{c.status_code.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                                                    <td class="px-3 py-1.5 tabular-nums">{format!("{} ms", c.latency_ms)}</td>
                                                    <td class="px-3 py-1.5">{c.error.unwrap_or_default()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </Table>
                            })}
                        </section>
                    }),
                }
            })}
        </Suspense>
    }
}
