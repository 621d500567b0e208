//! The service registry (super admins): cards with search and filters, a register form, and
//! a detail page with tabs for the overview, endpoints, tenants, schemas and API key. And
//! the Services page of a tenant: what it can use.
//!
//! - [`list`]: the registry's cards and the tenant's list;
//! - [`register`]: the register form;
//! - [`detail`]: a service's page and its tabs;
//! - [`monitoring`]: the Calls and Health tabs;
//! - [`import`]: registering from an OpenAPI document.

mod detail;
mod import;
mod list;
mod monitoring;
mod register;

pub use self::{
    detail::ServiceDetailPage,
    import::ImportServicePage,
    list::{MyServicesPage, ServicesPage},
    register::RegisterServicePage,
};

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    hooks::{use_params_map, use_query_map},
    location::Url,
};

use crate::{
    api::services::{
        get_service, list_services, my_services, service_tenants, AssignService, DeleteEndpoint,
        ImportOpenapi, RegisterService, RegisterServiceJson, SaveEndpoint, SetServiceKey,
        UnassignService, UpdateSchemas, UpdateService,
    },
    domain::{
        account::SessionView,
        paging::Page,
        service::{
            endpoint::HttpMethod,
            health::HealthView,
            view::{ServiceDetail, ServiceView, TenantService},
            AssignmentStatus, AuthType, ServiceStatus, ServiceType, Visibility,
        },
    },
    ui::{
        form::{field_error, field_error_under, form_error, Field, FieldError, BUTTON, INPUT},
        text::textarea_html,
    },
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
const LABEL: &str = "font-medium text-slate-700";
const LINK: &str = "font-medium text-amber-700 hover:underline";
/// Inputs of an inline filter bar (no full width, no top margin).
const FILTER: &str = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200";

fn options(all: &[&'static str], current: &str) -> impl IntoView {
    all.iter()
        .map(|o| view! { <option value=*o selected=*o == current>{*o}</option> })
        .collect_view()
}

#[component]
fn Badge(text: String) -> impl IntoView {
    let class = match text.as_str() {
        "ACTIVE" => "bg-emerald-100 text-emerald-800",
        "MAINTENANCE" => "bg-amber-100 text-amber-800",
        "INACTIVE" | "SUSPENDED" => "bg-red-100 text-red-800",
        _ => "bg-slate-100 text-slate-700",
    };
    view! { <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {class}")>{text}</span> }
}

/// A service's health as its card and header show it: status, and 24-hour availability.
#[component]
fn HealthPill(health: Option<HealthView>) -> impl IntoView {
    health.map(|h| {
        let (class, label) = match h.status.as_str() {
            "HEALTHY" => ("bg-emerald-500", "Healthy"),
            "UNHEALTHY" => ("bg-red-500", "Down"),
            _ => ("bg-slate-400", "Checking"),
        };
        let availability = h
            .availability_24h
            .map(|a| format!(" · {a}% in 24 h"))
            .unwrap_or_default();
        let title = h
            .last_error
            .clone()
            .unwrap_or_else(|| format!("Last checked {}", crate::ui::time::clock(&h.checked_at)));
        view! {
            <p data-testid="service-health" title=title class="flex items-center gap-1.5 text-xs text-slate-600">
                <span aria-hidden="true" class=format!("inline-block h-2 w-2 rounded-full {class}")></span>
                <span class="font-medium">{label}</span>
                <span class="tabular-nums">{availability}</span>
            </p>
        }
    })
}

/// A table as the registry's pages draw one: a header row of `columns`, then `children`
/// (the rows).
#[component]
fn Table(
    testid: &'static str,
    columns: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table data-testid=testid class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>{columns.iter().map(|c| view! { <th class="px-3 py-2">{*c}</th> }).collect_view()}</tr>
                </thead>
                <tbody class="divide-y divide-slate-100">{children()}</tbody>
            </table>
        </div>
    }
}
