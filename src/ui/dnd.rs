//! A sortable tree with drag and drop, written once: the menu editor uses it, and it knows
//! nothing of menus, so that the form builder can too. Pointer events (mouse, pen and touch
//! alike) drag an item by its handle; the drop lands before, after or inside the item under
//! the pointer, shown by an indicator; the page scrolls near its edges. The keyboard does
//! everything too: Space picks the focused item up, the arrows move it, Space drops it,
//! Escape puts it back; every step is announced through an `aria-live` region (dnd-kit's
//! keyboard sensor and the WAI-ARIA rearrangeable listbox are the models).
//!
//! Rows carry `data-dnd-id` (and `data-dnd-nest="true"` where items may go inside); handles
//! carry `data-dnd-handle`. The owner keeps the tree and says what a drop or a step does.

use leptos::{ev, prelude::*, web_sys};

pub use crate::domain::tree::{Placement, Step};

/// Pixels from the viewport's edge where dragging scrolls the page.
const EDGE: f64 = 48.0;

#[derive(Clone, Copy)]
pub struct Sortable {
    dragging: RwSignal<Option<String>>,
    over: RwSignal<Option<(String, Placement)>>,
    picked: RwSignal<Option<String>>,
    pub announcement: RwSignal<String>,
    /// (item, target, placement) → what to announce, or why not.
    on_drop: Callback<(String, String, Placement), Result<String, String>>,
    on_step: Callback<(String, Step), Result<String, String>>,
    /// Keyboard pick-up and cancel: the owner keeps and restores a snapshot.
    on_pick: Callback<()>,
    on_cancel: Callback<()>,
    /// Keyboard drop, for owners that commit a move only once it is put down (the board).
    on_put: Option<Callback<String>>,
}

impl Sortable {
    pub fn new(
        on_drop: Callback<(String, String, Placement), Result<String, String>>,
        on_step: Callback<(String, Step), Result<String, String>>,
        on_pick: Callback<()>,
        on_cancel: Callback<()>,
    ) -> Self {
        Self {
            dragging: RwSignal::new(None),
            over: RwSignal::new(None),
            picked: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            on_drop,
            on_step,
            on_pick,
            on_cancel,
            on_put: None,
        }
    }

    /// Also tells the owner when a keyboard move is put down (Space), with the item's id.
    pub fn on_put(mut self, on_put: Callback<String>) -> Self {
        self.on_put = Some(on_put);
        self
    }

    /// Where a drop would land relative to `id`, for its indicator.
    pub fn indicator(&self, id: &str) -> Option<Placement> {
        self.over
            .with(|o| o.as_ref().filter(|(t, _)| t == id).map(|(_, p)| *p))
    }

    pub fn is_moving(&self, id: &str) -> bool {
        self.dragging.with(|d| d.as_deref() == Some(id))
            || self.picked.with(|p| p.as_deref() == Some(id))
    }

    pub fn pointer_down(&self, id: String) -> impl Fn(ev::PointerEvent) + 'static {
        let this = *self;
        move |e: ev::PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            // Keeps receiving the pointer's events wherever it goes.
            let handle = event_target::<web_sys::Element>(&e);
            let _ = handle.set_pointer_capture(e.pointer_id());
            this.dragging.set(Some(id.clone()));
        }
    }

    /// On the tree's container.
    pub fn pointer_move(&self) -> impl Fn(ev::PointerEvent) + 'static {
        let this = *self;
        move |e: ev::PointerEvent| {
            let Some(dragged) = this.dragging.get_untracked() else {
                return;
            };
            let (x, y) = (e.client_x() as f32, e.client_y() as f32);
            scroll_near_edges(y as f64);
            let row = document()
                .element_from_point(x, y)
                .and_then(|el| el.closest("[data-dnd-id]").ok().flatten());
            let Some(row) = row else {
                this.over.set(None);
                return;
            };
            let Some(target) = row.get_attribute("data-dnd-id") else {
                return;
            };
            if target == dragged {
                this.over.set(None);
                return;
            }
            let rect = row.get_bounding_client_rect();
            // The row's own line, not its children's: the first 40 px or so.
            let height = rect.height().clamp(1.0, 44.0);
            let share = ((y as f64 - rect.top()) / height).clamp(0.0, 1.0);
            let nest = row.get_attribute("data-dnd-nest").as_deref() == Some("true");
            let placement = match (nest, share) {
                (true, s) if s > 0.3 && s < 0.7 => Placement::Inside,
                (_, s) if s < 0.5 => Placement::Before,
                _ => Placement::After,
            };
            if this.over.get_untracked() != Some((target.clone(), placement)) {
                this.over.set(Some((target, placement)));
            }
        }
    }

    pub fn pointer_up(&self) -> impl Fn(ev::PointerEvent) + 'static {
        let this = *self;
        move |_| {
            let dragged = this.dragging.get_untracked();
            let over = this.over.get_untracked();
            this.dragging.set(None);
            this.over.set(None);
            if let (Some(item), Some((target, placement))) = (dragged, over) {
                this.say(this.on_drop.run((item, target, placement)));
            }
        }
    }

    pub fn pointer_cancel(&self) -> impl Fn(ev::PointerEvent) + 'static {
        let this = *self;
        move |_| {
            this.dragging.set(None);
            this.over.set(None);
        }
    }

    /// On each handle: Space (or Enter) picks up and drops, arrows move, Escape cancels.
    pub fn key_down(&self, id: String, name: String) -> impl Fn(ev::KeyboardEvent) + 'static {
        let this = *self;
        move |e: ev::KeyboardEvent| {
            let picked = this.picked.get_untracked();
            let holding = picked.as_deref() == Some(id.as_str());
            let step = match e.key().as_str() {
                " " | "Enter" => {
                    e.prevent_default();
                    if holding {
                        this.picked.set(None);
                        this.announcement.set(format!("{name} dropped."));
                        if let Some(put) = this.on_put {
                            put.run(id.clone());
                        }
                    } else {
                        this.on_pick.run(());
                        this.picked.set(Some(id.clone()));
                        this.announcement.set(format!(
                            "{name} picked up. Arrow keys move it, Space drops it, Escape cancels."
                        ));
                    }
                    return;
                }
                "Escape" if holding => {
                    e.prevent_default();
                    this.picked.set(None);
                    this.on_cancel.run(());
                    this.announcement
                        .set(format!("Move cancelled; {name} is back in its place."));
                    refocus(id.clone());
                    return;
                }
                "ArrowUp" => Step::Up,
                "ArrowDown" => Step::Down,
                "ArrowRight" => Step::In,
                "ArrowLeft" => Step::Out,
                _ => return,
            };
            if !holding {
                return;
            }
            e.prevent_default();
            this.say(this.on_step.run((id.clone(), step)));
            refocus(id.clone());
        }
    }

    fn say(&self, outcome: Result<String, String>) {
        self.announcement.set(match outcome {
            Ok(done) => done,
            Err(why) => format!("Cannot move there: {why}"),
        });
    }
}

/// The tree re-renders after a move: focus goes back to the moved item's handle.
fn refocus(id: String) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        let handle = document()
            .query_selector(&format!("[data-dnd-handle=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(handle) = handle {
            let _ = handle.focus();
        }
    });
}

fn scroll_near_edges(y: f64) {
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if y < EDGE {
        window().scroll_by_with_x_and_y(0.0, -16.0);
    } else if height > 0.0 && y > height - EDGE {
        window().scroll_by_with_x_and_y(0.0, 16.0);
    }
}

/// The live region every move is announced in, and the instructions handles point to.
/// `instructions`: what the arrows do, where they do something else than in a tree.
#[component]
pub fn Announcer(
    sortable: Sortable,
    #[prop(optional, into)] instructions: Option<String>,
) -> impl IntoView {
    let instructions = instructions.unwrap_or_else(|| {
        "Press Space to pick up an item. Arrow keys move it up, down, into the item above or out of its group. Space drops it; Escape cancels.".into()
    });
    view! {
        <p id="dnd-instructions" class="sr-only">{instructions}</p>
        <div aria-live="assertive" role="status" class="sr-only" data-testid="dnd-announcement">
            {move || sortable.announcement.get()}
        </div>
    }
}

/// The grip an item is dragged by, and picked up with Space; `name` is what a screen reader
/// calls the item.
#[component]
pub fn DragHandle(
    sortable: Sortable,
    id: String,
    name: String,
    #[prop(into)] moving: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="cursor-grab touch-none rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-400"
            aria-label=format!("Move {name}")
            aria-describedby="dnd-instructions"
            aria-pressed=move || moving.get().to_string()
            data-dnd-handle=id.clone()
            on:pointerdown=sortable.pointer_down(id.clone())
            on:keydown=sortable.key_down(id, name)
        >
            "⠿"
        </button>
    }
}

/// Classes of a row's drop indicator.
pub fn indicator_class(placement: Option<Placement>) -> &'static str {
    match placement {
        Some(Placement::Before) => "shadow-[0_-3px_0_0_#f59e0b]",
        Some(Placement::After) => "shadow-[0_3px_0_0_#f59e0b]",
        Some(Placement::Inside) => "ring-2 ring-amber-400 bg-amber-50",
        None => "",
    }
}
