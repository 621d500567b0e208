//! The Task Manager's board: a column per status; a card moves to another column by drag
//! and drop (the same component as the menu editor and the form builder) or by keyboard
//! (Space picks it up, Left and Right change its column, Space puts it down, Escape puts it
//! back). A move is shown at once and saved with the version the card showed; when the save
//! is refused (someone changed the task meanwhile, or the move is not allowed) the card goes
//! back and the board says why.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::tasks::{add_task, move_task, task_board},
    domain::{
        task::{BoardColumn, Priority, Task, TaskStatus},
        tree::{Placement, Step},
    },
    ui::{
        dnd::{indicator_class, Announcer, DragHandle, Sortable},
        tasks::priority_badge,
    },
};

const COLUMN: &str = "column:";

#[component]
pub fn TaskBoardPage() -> impl IntoView {
    let query = use_query_map();
    let mine = move || query.read().get("mine").as_deref() == Some("true");
    let board = crate::ui::resource(mine, |mine| task_board(mine.to_string()));
    let reload = Callback::new(move |_: ()| board.refetch());
    // Lives above the board: a refused move reloads the board, and its reason must stay.
    let saves = Saves::default();
    view! {
        <Title text="Board" />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Board"</h1>
                <p class="mt-1 text-sm text-slate-500">"Drag a card by its handle to another column, or focus the handle and press Space, then Left or Right."</p>
            </div>
            <nav class="flex gap-2 text-sm" aria-label="Whose tasks">
                <a href="/tasks/board" class=move || tab(!mine()) aria-current=move || (!mine()).then_some("page")>"All tasks"</a>
                <a href="/tasks/board?mine=true" class=move || tab(mine()) aria-current=move || mine().then_some("page")>"Mine"</a>
                <a href="/tasks/list" class=tab(false)>"List"</a>
            </nav>
        </div>
        <SaveStatus saves />
        <Transition fallback=|| view! { <p class="mt-4 text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(columns) => Either::Left(view! { <Board columns reload saves /> }),
                    Err(e) => Either::Right(view! { <p role="alert" class="mt-4 text-sm text-red-700">{e.user_message()}</p> }),
                }
            })}
        </Transition>
    }
}

/// The board's moves sent and not yet answered, and how the last one ended.
#[derive(Clone, Copy, Default)]
struct Saves {
    pending: RwSignal<usize>,
    outcome: RwSignal<Option<Result<(), String>>>,
}

/// Says when the board's moves are safe on the server (so that nobody leaves before they
/// are) and why one was refused. No live role: the board's announcer already speaks.
#[component]
fn SaveStatus(saves: Saves) -> impl IntoView {
    let status = Memo::new(move |_| match (saves.pending.get(), saves.outcome.get()) {
        (0, None) => (String::new(), false),
        (0, Some(Ok(()))) => ("All moves saved.".to_string(), false),
        (0, Some(Err(why))) => (why, true),
        _ => ("Saving…".to_string(), false),
    });
    let class = move || {
        if status.with(|s| s.1) {
            "mt-4 min-h-5 text-sm text-red-700"
        } else {
            "mt-4 min-h-5 text-sm text-slate-500"
        }
    };
    view! { <p class=class data-testid="board-save-status">{move || status.with(|s| s.0.clone())}</p> }
}

fn tab(on: bool) -> &'static str {
    if on {
        "rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white"
    } else {
        "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50"
    }
}

/// The column a card is in.
fn column_of(columns: &[BoardColumn], id: &str) -> Option<TaskStatus> {
    columns
        .iter()
        .find(|c| c.tasks.iter().any(|t| t.id.to_string() == id))
        .map(|c| c.status)
}

fn rank(p: Priority) -> usize {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

/// Moves card `id` into column `to`, where the server would list it (by priority, highest
/// first). Answers its title.
fn relocate(columns: &mut [BoardColumn], id: &str, to: TaskStatus) -> Option<String> {
    let from = columns.iter_mut().find_map(|c| {
        let at = c.tasks.iter().position(|t| t.id.to_string() == id)?;
        c.total -= 1;
        Some(c.tasks.remove(at))
    })?;
    let title = from.title.clone();
    let column = columns.iter_mut().find(|c| c.status == to)?;
    let mut task = from;
    task.status = to;
    let at = column
        .tasks
        .iter()
        .position(|t| rank(t.priority) < rank(task.priority))
        .unwrap_or(column.tasks.len());
    column.tasks.insert(at, task);
    column.total += 1;
    Some(title)
}

fn neighbour(status: TaskStatus, step: Step) -> Result<TaskStatus, String> {
    let all = TaskStatus::ALL;
    let at = all.iter().position(|s| *s == status).unwrap_or(0);
    match step {
        Step::In if at + 1 < all.len() => Ok(all[at + 1]),
        Step::In => Err("it is in the last column".into()),
        Step::Out if at > 0 => Ok(all[at - 1]),
        Step::Out => Err("it is in the first column".into()),
        Step::Up | Step::Down => Err(
            "cards in a column are ordered by priority; Left and Right change the column".into(),
        ),
    }
}

#[component]
fn Board(columns: Vec<BoardColumn>, reload: Callback<()>, saves: Saves) -> impl IntoView {
    let columns = RwSignal::new(columns);
    // The board before a keyboard move started, to cancel it or to see what changed.
    let snapshot = StoredValue::new(None::<Vec<BoardColumn>>);
    let sortable_cell = StoredValue::new(None::<Sortable>);
    let Saves { pending, outcome } = saves;
    let say = move |text: String| {
        if let Some(s) = sortable_cell.get_value() {
            s.announcement.set(text);
        }
    };
    // Saves card `id`'s column; `before` is the board it was moved from (its card is put
    // back as it was when the save is refused).
    let save = move |id: String, before: Vec<BoardColumn>| {
        let Some(old) = before
            .iter()
            .flat_map(|c| c.tasks.iter())
            .find(|t| t.id.to_string() == id)
            .cloned()
        else {
            return;
        };
        let Some(to) = columns.with_untracked(|c| column_of(c, &id)) else {
            return;
        };
        if to == old.status {
            return;
        }
        pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let version = old.version.to_string();
            let answer = move_task(id.clone(), version, to.as_str().to_string()).await;
            pending.update(|n| *n -= 1);
            match answer {
                Ok(saved) => {
                    outcome.set(Some(Ok(())));
                    columns.update(|cols| settle(cols, saved));
                }
                Err(e) => {
                    // Only this card goes back; other moves stand. The reload shows what
                    // the server holds now.
                    let why = format!("{} was not moved: {}", old.title, e.user_message());
                    outcome.set(Some(Err(why.clone())));
                    say(why);
                    columns.update(|cols| settle(cols, old));
                    reload.run(());
                }
            }
        });
    };
    let sortable = Sortable::new(
        Callback::new(move |(item, target, _): (String, String, Placement)| {
            let before = columns.get_untracked();
            let to = match target.strip_prefix(COLUMN) {
                Some(status) => TaskStatus::parse(status),
                None => column_of(&before, &target),
            }
            .ok_or_else(|| "that is not a column".to_string())?;
            if column_of(&before, &item) == Some(to) {
                return Err(format!("it is already in {}", to.label()));
            }
            let mut next = before.clone();
            let title = relocate(&mut next, &item, to).ok_or("the card is gone")?;
            columns.set(next);
            save(item, before);
            Ok(format!("{title} moved to {}.", to.label()))
        }),
        Callback::new(move |(item, step): (String, Step)| {
            let mut next = columns.get_untracked();
            let from = column_of(&next, &item).ok_or("the card is gone")?;
            let to = neighbour(from, step)?;
            let title = relocate(&mut next, &item, to).ok_or("the card is gone")?;
            columns.set(next);
            Ok(format!(
                "{title} is over {}. Space puts it down.",
                to.label()
            ))
        }),
        Callback::new(move |_| snapshot.set_value(Some(columns.get_untracked()))),
        Callback::new(move |_| {
            if let Some(before) = snapshot.get_value() {
                columns.set(before);
            }
        }),
    )
    .on_put(Callback::new(move |item: String| {
        if let Some(before) = snapshot.get_value() {
            save(item, before);
        }
    }));
    sortable_cell.set_value(Some(sortable));
    let hydrated = crate::ui::hydration_flag();
    view! {
        <Announcer sortable instructions="Press Space to pick up a card. Left and Right move it to the previous or next column. Space puts it down; Escape cancels." />
        <div
            class="mt-6 grid gap-4 md:grid-cols-2 xl:grid-cols-4"
            on:pointermove=sortable.pointer_move()
            on:pointerup=sortable.pointer_up()
            on:pointercancel=sortable.pointer_cancel()
            data-testid="board"
            data-hydrated=move || hydrated.get().then_some("true")
        >
            {move || columns.get().into_iter().map(|column| view! { <Column column sortable reload /> }).collect_view()}
        </div>
    }
}

/// Puts `task` in place of its card, in the column of its status.
fn settle(columns: &mut [BoardColumn], task: Task) {
    let id = task.id.to_string();
    relocate(columns, &id, task.status);
    for column in columns.iter_mut() {
        for card in column.tasks.iter_mut() {
            if card.id == task.id {
                *card = task.clone();
            }
        }
    }
}

#[component]
fn Column(column: BoardColumn, sortable: Sortable, reload: Callback<()>) -> impl IntoView {
    let id = format!("{COLUMN}{}", column.status.as_str());
    let indicator = {
        let id = id.clone();
        move || {
            sortable
                .indicator(&id)
                .map(|_| "ring-2 ring-amber-400 bg-amber-50")
                .unwrap_or("bg-slate-100")
        }
    };
    let shown = column.tasks.len() as i64;
    let more = column.total - shown;
    let label = column.status.label();
    view! {
        <section
            data-dnd-id=id
            data-dnd-nest="true"
            data-testid=format!("board-column-{}", column.status.as_str())
            class=move || format!("flex min-h-48 flex-col rounded-xl p-3 {}", indicator())
            aria-label=label
        >
            <h2 class="mb-2 flex items-center justify-between px-1 text-sm font-semibold text-slate-700">
                <span>{label}</span>
                <span class="rounded-full bg-white px-2 text-xs text-slate-500" data-testid="column-count">{column.total}</span>
            </h2>
            <ul class="flex flex-1 flex-col gap-2">
                {column.tasks.into_iter().map(|task| view! { <Card task sortable /> }).collect_view()}
            </ul>
            {(column.total == 0).then(|| view! { <p class="px-1 py-6 text-center text-xs text-slate-500">"Drop a card here"</p> })}
            {(more > 0).then(|| view! {
                <a class="mt-2 px-1 text-xs underline" href=format!("/tasks/list?status={}", column.status.as_str())>{format!("{more} more in the list")}</a>
            })}
            <AddCard status=column.status reload />
        </section>
    }
}

/// Adds a task to the column by its title; the board reloads with it. Without JavaScript the
/// form posts to the same server function, which comes back to the board.
#[component]
fn AddCard(status: TaskStatus, reload: Callback<()>) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = format!("add-{}", status.as_str().to_ascii_lowercase());
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let text = title.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = add_task(text, status.as_str().to_string()).await;
            busy.set(false);
            match answer {
                Ok(_) => {
                    title.set(String::new());
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        });
    };
    view! {
        <form action="/api/tasks_add" method="post" class="mt-2 flex gap-1" on:submit=submit data-testid="board-add">
            <input type="hidden" name="status" value=status.as_str() />
            <label for=id.clone() class="sr-only">{format!("New task in {}", status.label())}</label>
            <input
                id=id
                name="title"
                required
                maxlength="200"
                placeholder="Add a task"
                class="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-200"
                prop:value=move || title.get()
                on:input=move |e| title.set(event_target_value(&e))
            />
            <button type="submit" disabled=move || busy.get() class="rounded-md bg-slate-800 px-2 py-1 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60">"Add"</button>
        </form>
        {move || error.get().map(|e| view! { <p role="alert" class="mt-1 px-1 text-xs text-red-700">{e}</p> })}
    }
}

#[component]
fn Card(task: Task, sortable: Sortable) -> impl IntoView {
    let id = task.id.to_string();
    let moving = {
        let id = id.clone();
        Signal::derive(move || sortable.is_moving(&id))
    };
    let indicator = {
        let id = id.clone();
        move || indicator_class(sortable.indicator(&id).filter(|p| *p != Placement::Inside))
    };
    let title = task.title.clone();
    view! {
        <li
            data-dnd-id=id.clone()
            data-testid="board-card"
            class=move || format!(
                "flex items-start gap-2 rounded-lg border bg-white p-2 shadow-sm {} {}",
                if moving.get() { "border-amber-400" } else { "border-slate-200" },
                indicator(),
            )
        >
            <DragHandle sortable id=id.clone() name=title moving />
            <div class="min-w-0 flex-1">
                <a class="block break-words text-sm font-medium hover:underline" href=format!("/tasks/{id}")>{task.title}</a>
                <p class="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                    {priority_badge(task.priority)}
                    {task.assignee_name.map(|n| view! { <span>{n}</span> })}
                    {task.due_date.map(|d| view! { <span class="tabular-nums">{format!("Due {}", crate::ui::time::date(&d))}</span> })}
                </p>
            </div>
        </li>
    }
}
