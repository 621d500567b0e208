//! The dashboard: what needs you now. Your services, tasks and notifications; the tenant's
//! seats, invitations, ending access, services and activity (`dashboard:view`); the
//! platform's figures for super admins. Each panel links to its page.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::{
        account::{my_invitations, RespondInvitation},
        dashboard::dashboard,
    },
    domain::{
        account::SessionView,
        dashboard::{Count, DashboardView, PlatformPanels, TaskPanel, TenantPanels},
        invitation::Invitation,
    },
    ui::form::{form_error, FieldError},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = expect_context::<SessionView>();
    let SessionView {
        user,
        current_tenant,
        ..
    } = session;
    let permissions = user.permissions.clone();
    let respond = ServerAction::<RespondInvitation>::new();
    let invitations = crate::ui::resource(move || respond.version().get(), |_| my_invitations());
    let panels = crate::ui::resource(|| (), |_| dashboard());
    view! {
        <Title text="Dashboard" />
        <h1 class="text-2xl font-semibold tracking-tight">"Welcome, " {user.name.clone()}</h1>
        <p class="mt-1 text-sm text-slate-600">
            "You are working in " <strong class="text-slate-800">{current_tenant.name.clone()}</strong>
            " as " <strong class="text-slate-800">{current_tenant.user_role.clone()}</strong> "."
        </p>
        <FieldError message=form_error(respond) />
        <Transition>
            {move || Suspend::new(async move {
                invitations.await.ok().filter(|l| !l.is_empty()).map(|list| view! { <Invitations list respond /> })
            })}
        </Transition>
        <Transition fallback=|| view! { <p class="mt-6 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match panels.await {
                    Ok(view) => Either::Left(view! { <Panels view /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-6 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
        <details class="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <summary class="cursor-pointer text-sm font-semibold text-slate-700">"Your permissions in this tenant"</summary>
            <ul data-testid="permissions" class="mt-3 flex flex-wrap gap-2">
                {permissions
                    .into_iter()
                    .map(|p| view! { <li class="rounded-md bg-slate-100 px-2 py-1 font-mono text-xs">{p}</li> })
                    .collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn Panels(view: DashboardView) -> impl IntoView {
    let DashboardView {
        services,
        tasks,
        notifications,
        tenant,
        platform,
    } = view;
    view! {
        <div class="mt-6 grid gap-4 lg:grid-cols-3">
            <Card title="Your services" link=("/services", "All services") testid="services">
                {if services.is_empty() {
                    Either::Left(view! { <p class="text-sm text-slate-600">"No service is available to you here yet. A super admin assigns services to tenants."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="space-y-2 text-sm">
                            {services.into_iter().map(|s| view! {
                                <li class="flex items-center justify-between gap-2">
                                    <span class="font-medium text-slate-800">{s.display_name}</span>
                                    <Health status=s.status health=s.health />
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                }}
            </Card>
            {tasks.map(|t| view! { <Tasks panel=t /> })}
            <Card title="Recent notifications" link=("/notifications", "All notifications") testid="recent-notifications">
                {if notifications.is_empty() {
                    Either::Left(view! { <p class="text-sm text-slate-600">"Nothing new."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="space-y-2 text-sm">
                            {notifications.into_iter().map(|n| view! {
                                <li class=if n.read { "text-slate-600" } else { "font-medium text-slate-900" }>
                                    {match n.link {
                                        Some(href) => Either::Left(view! { <a class="hover:underline" href=href>{n.title}</a> }),
                                        None => Either::Right(view! { <span>{n.title}</span> }),
                                    }}
                                    <span class="block text-xs font-normal text-slate-500">{crate::ui::time::minute(&n.created_at)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                }}
            </Card>
        </div>
        {tenant.map(|t| view! { <Tenant panels=t /> })}
        {platform.map(|p| view! { <Platform panels=p /> })}
    }
}

#[component]
fn Tasks(panel: TaskPanel) -> impl IntoView {
    view! {
        <Card title="Your tasks" link=("/tasks/board?mine=true", "Your board") testid="my-tasks">
            <p class="text-sm text-slate-700">
                <span class="text-2xl font-semibold text-slate-900">{panel.assigned_open}</span>
                " open and assigned to you"
            </p>
            {if panel.due.is_empty() {
                Either::Left(view! { <p class="mt-2 text-sm text-slate-600">"Nothing due this week."</p> })
            } else {
                Either::Right(view! {
                    <ul class="mt-3 space-y-1 text-sm">
                        {panel.due.into_iter().map(|t| view! {
                            <li class="flex items-baseline justify-between gap-2">
                                <a class="truncate hover:underline" href=format!("/tasks/{}", t.id)>{t.title}</a>
                                <span class=if t.overdue { "shrink-0 text-xs font-semibold text-red-700" } else { "shrink-0 text-xs text-slate-600" }>
                                    {if t.overdue { format!("overdue since {}", crate::ui::time::date(&t.due_date)) } else { format!("due {}", crate::ui::time::date(&t.due_date)) }}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </Card>
    }
}

#[component]
fn Tenant(panels: TenantPanels) -> impl IntoView {
    let TenantPanels {
        seats,
        pending_invitations,
        access_ending,
        services,
        audit,
    } = panels;
    view! {
        <h2 class="mt-8 text-sm font-semibold uppercase tracking-wider text-slate-600">"This tenant"</h2>
        <div class="mt-3 grid gap-4 lg:grid-cols-3">
            {seats.map(|s| view! {
                <Card title="Seats" link=("/admin/users", "Members") testid="seats">
                    <p class="text-2xl font-semibold text-slate-900">{format!("{} of {}", s.used, s.limit)}</p>
                    <p class="text-sm text-slate-600">"members of the user limit"</p>
                </Card>
            })}
            {pending_invitations.map(|n| view! {
                <Card title="Pending invitations" link=("/admin/users", "Members and invitations") testid="pending-invitations">
                    <p class="text-2xl font-semibold text-slate-900">{n}</p>
                    <p class="text-sm text-slate-600">"waiting for an answer"</p>
                </Card>
            })}
            {access_ending.map(|list| view! {
                <Card title="Access ending within 7 days" link=("/admin/users", "Members") testid="access-ending">
                    {if list.is_empty() {
                        Either::Left(view! { <p class="text-sm text-slate-600">"Nobody's access ends this week."</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="space-y-1 text-sm">
                                {list.into_iter().map(|a| view! {
                                    <li class="flex justify-between gap-2">
                                        <span class="truncate">{a.name}</span>
                                        <span class="shrink-0 text-xs text-slate-600">{crate::ui::time::minute(&a.expires_at)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </Card>
            })}
            {services.map(|list| view! {
                <Card title="Services, last 24 hours" link=("/services", "Services") testid="tenant-services">
                    {if list.is_empty() {
                        Either::Left(view! { <p class="text-sm text-slate-600">"No service yet."</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="space-y-2 text-sm">
                                {list.into_iter().map(|s| view! {
                                    <li>
                                        <span class="flex items-center justify-between gap-2">
                                            <span class="font-medium text-slate-800">{s.display_name}</span>
                                            <Health status="ACTIVE".to_string() health=s.health />
                                        </span>
                                        {s.external.then(|| view! {
                                            <span class={if s.errors_24h > 0 { "text-xs text-red-700" } else { "text-xs text-slate-600" }}>
                                                {format!("{} gateway calls, {} failed", s.calls_24h, s.errors_24h)}
                                            </span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </Card>
            })}
            {audit.map(|entries| view! {
                <Card title="Recent activity" link=("/admin/audit", "Audit log") testid="recent-audit">
                    <ul class="space-y-1 text-sm">
                        {entries.into_iter().map(|e| view! {
                            <li>
                                <span class="font-mono text-xs text-slate-800">{e.action}</span>
                                <span class="block text-xs text-slate-600">
                                    {format!("{} · {}", e.actor_email.unwrap_or_else(|| "the platform".into()), crate::ui::time::minute(&e.occurred_at))}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </Card>
            })}
        </div>
    }
}

#[component]
fn Platform(panels: PlatformPanels) -> impl IntoView {
    let rate = if panels.gateway_calls_hour == 0 {
        "no calls".to_string()
    } else {
        format!(
            "{:.1}% failed",
            panels.gateway_errors_hour as f64 * 100.0 / panels.gateway_calls_hour as f64
        )
    };
    let counts = |list: Vec<Count>| {
        view! {
            <ul class="space-y-1 text-sm">
                {list.into_iter().map(|c| view! {
                    <li class="flex justify-between"><span class="text-slate-700">{c.key}</span><span class="font-semibold text-slate-900">{c.count}</span></li>
                }).collect_view()}
            </ul>
        }
    };
    view! {
        <h2 class="mt-8 text-sm font-semibold uppercase tracking-wider text-slate-600">"The platform"</h2>
        <div class="mt-3 grid gap-4 lg:grid-cols-4">
            <Card title="Tenants" link=("/admin/tenants", "Tenants") testid="tenants-by-status">
                {counts(panels.tenants_by_status)}
            </Card>
            <Card title="Services by health" link=("/admin/services", "Service registry") testid="services-by-health">
                {counts(panels.services_by_health)}
            </Card>
            <Card title="Gateway, last hour" link=("/admin/services", "Service registry") testid="gateway-hour">
                <p class="text-2xl font-semibold text-slate-900">{panels.gateway_calls_hour}</p>
                <p class={if panels.gateway_errors_hour > 0 { "text-sm text-red-700" } else { "text-sm text-slate-600" }}>{format!("calls, {rate}")}</p>
            </Card>
            <Card title="Failed mail, 7 days" link=("/admin/audit", "Audit log") testid="failed-mail">
                <p class="text-2xl font-semibold text-slate-900">{panels.failed_mail_7d}</p>
                <p class="text-sm text-slate-600">"messages the outbox gave up on"</p>
            </Card>
        </div>
    }
}

/// A service's state in words and colour (never colour alone).
#[component]
fn Health(status: String, health: Option<String>) -> impl IntoView {
    let (text, class) = if status == "MAINTENANCE" {
        ("Maintenance", "bg-amber-100 text-amber-900")
    } else {
        match health.as_deref() {
            Some("HEALTHY") => ("Healthy", "bg-emerald-100 text-emerald-900"),
            Some("UNHEALTHY") => ("Down", "bg-red-100 text-red-900"),
            Some(_) => ("Not checked yet", "bg-slate-100 text-slate-700"),
            None => ("No health checks", "bg-slate-100 text-slate-700"),
        }
    };
    view! { <span class=format!("shrink-0 rounded px-1.5 py-0.5 text-xs font-medium {class}")>{text}</span> }
}

/// Invitations into other tenants, waiting for this user's answer. An accepted tenant shows
/// up in the tenant switcher after the next page load.
#[component]
fn Invitations(list: Vec<Invitation>, respond: ServerAction<RespondInvitation>) -> impl IntoView {
    view! {
        <section data-testid="invitations" class="mt-6 rounded-xl border border-amber-200 bg-amber-50 p-5 shadow-sm">
            <h2 class="text-sm font-semibold text-amber-900">"Invitations"</h2>
            <ul class="mt-3 space-y-2">
                {list.into_iter().map(|i| {
                    let (id, id2) = (i.id.to_string(), i.id.to_string());
                    let text = format!("{} invites you to join as {}", i.tenant_name, i.role);
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-white px-4 py-2 text-sm">
                            <span>{text}</span>
                            <span class="flex gap-2">
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=id />
                                    <input type="hidden" name="accept" value="true" />
                                    <button type="submit" class="rounded-md bg-slate-900 px-3 py-1 text-xs font-semibold text-white hover:bg-slate-700">"Accept"</button>
                                </ActionForm>
                                <ActionForm action=respond>
                                    <input type="hidden" name="id" value=id2 />
                                    <input type="hidden" name="accept" value="false" />
                                    <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50">"Decline"</button>
                                </ActionForm>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A panel, titled, with a link to the page it summarizes.
#[component]
fn Card(
    title: &'static str,
    link: (&'static str, &'static str),
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section data-testid=testid class="flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h3 class="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-600">{title}</h3>
            <div class="flex-1">{children()}</div>
            <a class="mt-3 text-sm font-medium text-amber-800 hover:underline" href=link.0>{link.1} " →"</a>
        </section>
    }
}
