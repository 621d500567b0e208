//! The Task Manager's pages: the list (All Tasks, My Tasks) with its filters, sorting and
//! paging in the URL, the create page, and a task's page with its edit form and comments.
//! The create and edit forms are the service's form schema rendered by the generated form,
//! so fields added in the form builder show here too.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    hooks::{use_navigate, use_params_map, use_query_map},
    location::Url,
};

use crate::{
    api::{
        forms::load_form,
        tasks::{list_tasks, task_page, AssignTask, CommentTask, DeleteTask},
    },
    domain::{
        account::SessionView,
        paging::Page,
        permission::PermissionSet,
        task::{Priority, Task, TaskPageView, TaskQuery, TaskStatus, SERVICE},
    },
    ui::{
        form::{form_error, FieldError, BUTTON, INPUT},
        forms::FormScreen,
    },
};

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";
const LINK_BUTTON: &str = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";

/// The query keys the list reads, in the order its links write them.
const KEYS: &[&str] = &[
    "search",
    "status",
    "priority",
    "assignee",
    "label",
    "dueAfter",
    "dueBefore",
    "sort",
];

fn may(permission: &str) -> bool {
    use_context::<SessionView>()
        .is_some_and(|s| PermissionSet::from_strings(&s.user.permissions).allows(permission))
}

pub fn status_badge(status: TaskStatus) -> impl IntoView {
    let class = match status {
        TaskStatus::Todo => "bg-slate-100 text-slate-700",
        TaskStatus::InProgress => "bg-sky-100 text-sky-800",
        TaskStatus::Done => "bg-emerald-100 text-emerald-800",
        TaskStatus::Cancelled => "bg-zinc-200 text-zinc-600 line-through",
    };
    view! {
        <span class=format!("whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {class}")>
            {status.label()}
        </span>
    }
}

pub fn priority_badge(priority: Priority) -> impl IntoView {
    let class = match priority {
        Priority::Low => "text-slate-500",
        Priority::Medium => "text-slate-700",
        Priority::High => "text-amber-700 font-semibold",
        Priority::Urgent => "text-red-700 font-semibold",
    };
    view! { <span class=format!("whitespace-nowrap text-xs {class}")>{priority.label()}</span> }
}

#[component]
pub fn TaskListPage() -> impl IntoView {
    view! { <TaskList mine=false /> }
}

#[component]
pub fn MyTasksPage() -> impl IntoView {
    view! { <TaskList mine=true /> }
}

#[component]
fn TaskList(mine: bool) -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| {
        query
            .read()
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let asked = move || TaskQuery {
        status: param("status"),
        priority: param("priority"),
        assignee: param("assignee"),
        due_before: param("dueBefore"),
        due_after: param("dueAfter"),
        label: param("label"),
        search: param("search"),
        mine: mine.then_some(true),
        sort: param("sort"),
        // A page that is not a number is page 1.
        page: param("page").and_then(|p| p.parse().ok()),
        per_page: None,
    };
    let tasks = crate::ui::resource(asked, list_tasks);
    let (title, base) = if mine {
        ("My Tasks", "/tasks/mine")
    } else {
        ("All Tasks", "/tasks/list")
    };
    let me = use_context::<SessionView>()
        .map(|s| s.user.id.to_string())
        .unwrap_or_default();
    let selected = move |key: &'static str, value: &str| param(key).as_deref() == Some(value);
    let filtered = move || KEYS.iter().any(|k| *k != "sort" && param(k).is_some());
    view! {
        <Title text=title />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{title}</h1>
                <p class="mt-1 text-sm text-slate-500">
                    {if mine { "Tasks you created or are assigned to." } else { "Every task of this tenant that you may see." }}
                </p>
            </div>
            <div class="flex gap-2">
                <a href="/tasks/board" class=LINK_BUTTON>"Board"</a>
                {may("task:create").then(|| view! { <a href="/tasks/create" class=BUTTON>"Create task"</a> })}
            </div>
        </div>
        <form method="get" action=base class="mt-6 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4" aria-label="Filter tasks">
            <label class="col-span-2 text-sm">
                <span class="font-medium text-slate-700">"Search"</span>
                <input type="search" name="search" class=INPUT placeholder="Title or description" maxlength="100" value=move || param("search").unwrap_or_default() />
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Status"</span>
                <select name="status" class=INPUT>
                    <option value="">"Any"</option>
                    {TaskStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || selected("status", s.as_str())>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Priority"</span>
                <select name="priority" class=INPUT>
                    <option value="">"Any"</option>
                    {Priority::ALL.iter().map(|p| view! {
                        <option value=p.as_str() selected=move || selected("priority", p.as_str())>{p.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Assignee"</span>
                <select name="assignee" class=INPUT>
                    <option value="">"Anyone"</option>
                    <option value=me.clone() selected={let me = me.clone(); move || selected("assignee", &me)}>"Me"</option>
                    <option value="none" selected=move || selected("assignee", "none")>"Unassigned"</option>
                </select>
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Label"</span>
                <input name="label" class=INPUT maxlength="40" value=move || param("label").unwrap_or_default() />
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Due after"</span>
                <input type="date" name="dueAfter" class=INPUT value=move || param("dueAfter").unwrap_or_default() />
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Due before"</span>
                <input type="date" name="dueBefore" class=INPUT value=move || param("dueBefore").unwrap_or_default() />
            </label>
            <label class="text-sm">
                <span class="font-medium text-slate-700">"Sort by"</span>
                <select name="sort" class=INPUT>
                    {[("", "Newest first"), ("created", "Oldest first"), ("-updated", "Recently changed"), ("due", "Due date"), ("-priority", "Priority"), ("title", "Title")]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=move || param("sort").unwrap_or_default() == v>{l}</option> })
                        .collect_view()}
                </select>
            </label>
            <div class="flex items-end gap-3 md:col-span-3">
                <button type="submit" class=BUTTON>"Apply"</button>
                {move || filtered().then(|| view! { <a href=base class="text-sm text-slate-600 underline">"Clear filters"</a> })}
            </div>
        </form>
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let keys: Vec<(&'static str, String)> = KEYS
                    .iter()
                    .filter_map(|k| param(k).map(|v| (*k, v)))
                    .collect();
                match tasks.await {
                    Ok(page) => Either::Left(view! { <TaskTable page base keys filtered=filtered() mine /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskTable(
    page: Page<Task>,
    base: &'static str,
    keys: Vec<(&'static str, String)>,
    filtered: bool,
    mine: bool,
) -> impl IntoView {
    let last_page = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let link = move |n: i64| {
        let mut href = format!("{base}?page={n}");
        for (key, value) in &keys {
            href.push_str(&format!("&{key}={}", Url::escape(value)));
        }
        href
    };
    let prev = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < last_page).then(|| link(page.page + 1));
    if page.items.is_empty() {
        return Either::Left(view! { <EmptyList filtered mine base /> });
    }
    Either::Right(view! {
        <div class="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table data-testid="task-table" class="min-w-full divide-y divide-slate-200 text-sm">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
                    <tr>
                        <th class="px-4 py-3">"Title"</th>
                        <th class="px-4 py-3">"Status"</th>
                        <th class="px-4 py-3">"Priority"</th>
                        <th class="px-4 py-3">"Assignee"</th>
                        <th class="px-4 py-3">"Due"</th>
                        <th class="px-4 py-3">"Labels"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page.items.into_iter().map(|t| view! {
                        <tr data-testid="task-row">
                            <td class="max-w-md px-4 py-2">
                                <a class="font-medium text-slate-900 hover:underline" href=format!("/tasks/{}", t.id)>{t.title}</a>
                            </td>
                            <td class="px-4 py-2">{status_badge(t.status)}</td>
                            <td class="px-4 py-2">{priority_badge(t.priority)}</td>
                            <td class="whitespace-nowrap px-4 py-2 text-slate-600">{t.assignee_name.unwrap_or_else(|| "—".into())}</td>
                            <td class="whitespace-nowrap px-4 py-2 tabular-nums text-slate-600">{t.due_date.map(|d| crate::ui::time::date(&d)).unwrap_or_else(|| "—".into())}</td>
                            <td class="px-4 py-2">
                                <span class="flex flex-wrap gap-1">
                                    {t.labels.into_iter().map(|l| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{l}</span> }).collect_view()}
                                </span>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="mt-3 flex items-center justify-between text-sm text-slate-600" aria-label="Pages">
            <span>{format!("Page {} of {last_page} · {} tasks", page.page, page.total)}</span>
            <span class="flex gap-3">
                {prev.map(|h| view! { <a class="underline" href=h rel="prev">"← Previous"</a> })}
                {next.map(|h| view! { <a class="underline" href=h rel="next">"Next →"</a> })}
            </span>
        </nav>
    })
}

/// What a list with no tasks says: how to start, or that the filters match nothing.
#[component]
fn EmptyList(filtered: bool, mine: bool, base: &'static str) -> impl IntoView {
    let create = may("task:create");
    view! {
        <div data-testid="tasks-empty" class="mt-4 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            {if filtered {
                Either::Left(view! {
                    <p class="font-medium">"No tasks match these filters."</p>
                    <a href=base class="mt-2 inline-block text-sm underline">"Clear filters"</a>
                })
            } else {
                Either::Right(view! {
                    <p class="font-medium">{if mine { "Nothing on your plate." } else { "No tasks yet." }}</p>
                    <p class="mt-1 text-sm text-slate-500">
                        {if create {
                            "Create a task to track a piece of work: give it a title, a priority and a due date, then move it across the board as it progresses."
                        } else {
                            "Tasks you create or are given show here. Ask an administrator if you expected some."
                        }}
                    </p>
                    {create.then(|| view! { <a href="/tasks/create" class=format!("mt-4 inline-block {BUTTON}")>"Create the first task"</a> })}
                })
            }}
        </div>
    }
}

#[component]
pub fn CreateTaskPage() -> impl IntoView {
    let form = crate::ui::resource(|| (), |_| load_form(SERVICE.to_string()));
    view! {
        <Title text="Create task" />
        <div class="mx-auto max-w-3xl space-y-6">
            <header class="flex items-center justify-between gap-3">
                <h1 class="text-2xl font-semibold tracking-tight">"Create task"</h1>
                <a href="/tasks/list" class="text-sm underline">"All tasks"</a>
            </header>
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(view) => Either::Left(view! { <FormScreen view opens="/tasks/" heading=false /> }),
                        Err(e) => Either::Right(view! { <p role="alert" class="text-red-700">{e.user_message()}</p> }),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let reload = RwSignal::new(0u32);
    // What the last save answered, shown above the task it reloaded.
    let saved = RwSignal::new(None::<String>);
    let page = crate::ui::resource(move || (id(), reload.get()), |(id, _)| task_page(id));
    view! {
        <div class="mx-auto max-w-4xl space-y-6">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(view) => Either::Left(view! { <TaskScreen view reload saved /> }),
                        Err(e) => Either::Right(view! {
                            <Title text="Task" />
                            <p role="alert" class="text-red-700">{e.user_message()}</p>
                            <a href="/tasks/list" class="text-sm underline">"All tasks"</a>
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn TaskScreen(
    view: TaskPageView,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let TaskPageView {
        task,
        comments,
        form,
        may_delete,
        assignees,
    } = view;
    let id = task.id.to_string();
    let record = (id.clone(), task.version);
    let delete_id = id.clone();
    let on_done = Callback::new(move |answer: crate::domain::form::view::Submitted| {
        saved.set(answer.message);
        reload.update(|n| *n += 1);
    });
    let comment = ServerAction::<CommentTask>::new();
    let assign = ServerAction::<AssignTask>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = assign.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let current_assignee = task.assignee_id.map(|a| a.to_string()).unwrap_or_default();
    let version = task.version.to_string();
    let assign_id = id.clone();
    let delete = ServerAction::<DeleteTask>::new();
    let comments = RwSignal::new(comments);
    Effect::new(move |_| {
        if let Some(Ok(c)) = comment.value().get() {
            comments.update(|list| {
                if !list.iter().any(|x| x.id == c.id) {
                    list.push(c);
                }
            });
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/tasks/list", Default::default());
        }
    });
    let created = format!(
        "Created {} by {} · version {}",
        crate::ui::time::minute(&task.created_at),
        task.created_by_name.clone().unwrap_or_else(|| "—".into()),
        task.version
    );
    view! {
        <Title text=task.title.clone() />
        <header class="space-y-2">
            <a href="/tasks/list" class="text-sm text-slate-600 underline">"← All tasks"</a>
            <h1 class="break-words text-2xl font-semibold tracking-tight" data-testid="task-title">{task.title.clone()}</h1>
            <div class="flex flex-wrap items-center gap-3 text-sm text-slate-600">
                {status_badge(task.status)}
                {priority_badge(task.priority)}
                <span>{format!("Assignee: {}", task.assignee_name.clone().unwrap_or_else(|| "nobody".into()))}</span>
                {task.due_date.map(|d| view! { <span>{format!("Due {}", crate::ui::time::date(&d))}</span> })}
                {task.labels.iter().map(|l| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{l.clone()}</span> }).collect_view()}
            </div>
            <p class="text-xs text-slate-500" data-testid="task-meta">{created}</p>
        </header>
        {move || saved.get().map(|text| view! {
            <p role="status" data-testid="task-saved" class="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">{text}</p>
        })}
        {assignees.map(move |members| view! {
            <ActionForm action=assign attr:class="flex flex-wrap items-end gap-3" attr:aria-label="Assign">
                <input type="hidden" name="id" value=assign_id />
                <input type="hidden" name="version" value=version.clone() />
                <label class="text-sm">
                    <span class="font-medium text-slate-700">"Assignee"</span>
                    <select name="assignee" class=INPUT>
                        <option value="" selected=current_assignee.is_empty()>"Nobody"</option>
                        {members.into_iter().map(|m| {
                            let id = m.id.to_string();
                            let chosen = id == current_assignee;
                            view! { <option value=id selected=chosen>{m.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class=LINK_BUTTON disabled=move || assign.pending().get()>"Assign"</button>
                <FieldError message=form_error(assign) />
                <FieldError message=crate::ui::form::field_error(assign, "assigneeId") />
            </ActionForm>
        })}
        {(!task.description.is_empty()).then(|| view! {
            <section class=CARD>
                <h2 class="text-sm font-semibold text-slate-700">"Description"</h2>
                <p class="mt-2 whitespace-pre-wrap break-words text-sm">{task.description.clone()}</p>
            </section>
        })}
        {form.map(|view| view! {
            <section class="space-y-4" aria-labelledby="edit-title">
                <h2 id="edit-title" class="text-lg font-semibold">"Edit"</h2>
                <div class="space-y-4"><FormScreen view record=record.clone() on_done heading=false /></div>
            </section>
        })}
        <section class=CARD aria-labelledby="comments-title">
            <h2 id="comments-title" class="text-lg font-semibold">"Comments"</h2>
            <ul class="mt-3 divide-y divide-slate-100" data-testid="comments">
                {move || comments.get().into_iter().map(|c| view! {
                    <li class="py-3">
                        <p class="text-xs text-slate-500">{format!("{} · {}", c.author_name.unwrap_or_else(|| "—".into()), crate::ui::time::minute(&c.created_at))}</p>
                        <p class="mt-1 whitespace-pre-wrap break-words text-sm">{c.body}</p>
                    </li>
                }).collect_view()}
            </ul>
            {move || comments.with(Vec::is_empty).then(|| view! { <p class="mt-2 text-sm text-slate-500">"No comments yet."</p> })}
            <ActionForm action=comment attr:class="mt-4 space-y-2" attr:aria-label="New comment">
                <input type="hidden" name="id" value=id.clone() />
                <label class="block text-sm">
                    <span class="font-medium text-slate-700">"Add a comment"</span>
                    <textarea name="body" rows="3" maxlength="5000" class=INPUT required></textarea>
                </label>
                <FieldError message=crate::ui::form::field_error(comment, "body") />
                <FieldError message=form_error(comment) />
                <button type="submit" class=BUTTON disabled=move || comment.pending().get()>"Comment"</button>
            </ActionForm>
        </section>
        {may_delete.then(move || view! {
            <section class="rounded-xl border border-red-200 bg-white p-6 shadow-sm">
                <h2 class="text-sm font-semibold text-red-800">"Delete this task"</h2>
                <p class="mt-1 text-sm text-slate-600">"The task and its comments are removed for everyone. The audit log keeps that it existed."</p>
                <ActionForm action=delete attr:class="mt-3">
                    <input type="hidden" name="id" value=delete_id />
                    <button type="submit" class="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow hover:bg-red-600">"Delete task"</button>
                    <FieldError message=form_error(delete) />
                </ActionForm>
            </section>
        })}
    }
}
