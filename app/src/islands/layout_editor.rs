//! The layout page's island: move a hexagon by dragging it, or from the keyboard (Tab to it,
//! Enter to select it, the arrow keys to move it, Enter to place it, Escape to put it back).
//! A cell another hexagon holds is refused before anything is sent, and again by the server.
//! Without JavaScript the page's form moves a hexagon by column and row.

use crate::domain::hexmap::geometry::{Point, MAP};
use crate::domain::hexmap::{bounds, HexPosition};
use crate::model::plan::LayoutHex;
use leptos::prelude::*;

fn points(corners: [Point; 6]) -> String {
    corners
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "column 3, row 2"
fn cell_words(cell: HexPosition) -> String {
    format!("column {}, row {}", cell.q, cell.r)
}

/// A hexagon being moved: which, and the cell it would go to.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Moving {
    index: usize,
    to: HexPosition,
    dragging: bool,
}

/// Puts the keyboard's focus back on hexagon `index` once it is drawn in its new cell.
#[cfg(feature = "hydrate")]
fn refocus(index: usize) {
    use wasm_bindgen::JsCast;
    leptos::task::spawn_local(async move {
        let hexagon = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("layout-hex-{index}")))
            .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
        if let Some(hexagon) = hexagon {
            let _ = hexagon.focus();
        }
    });
}

/// The drawing's id.
const DRAWING: &str = "layout-editor-drawing";

#[island]
pub fn LayoutEditor(hexagons: Vec<LayoutHex>) -> impl IntoView {
    let hexagons = RwSignal::new(hexagons);
    let moving = RwSignal::new(None::<Moving>);
    let message = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    // The drawing's box: a ring of free cells around the hexagons, to move them into.
    let view_box = Memo::new(move |_| {
        let cells: Vec<HexPosition> = hexagons
            .read()
            .iter()
            .flat_map(|h| {
                let p = h.position;
                [
                    HexPosition {
                        q: p.q - 1,
                        r: p.r - 1,
                    },
                    HexPosition {
                        q: p.q + 1,
                        r: p.r + 1,
                    },
                ]
            })
            .collect();
        bounds(cells, MAP.cell)
    });
    let holder = move |cell: HexPosition, except: usize| {
        hexagons
            .read()
            .iter()
            .enumerate()
            .find(|(i, h)| *i != except && h.position == cell)
            .map(|(_, h)| h.code.clone())
    };
    let describe = move |m: Moving| {
        let code = hexagons.read()[m.index].code.clone();
        let place = if m.dragging {
            "let go to place it"
        } else {
            "press Enter to place it, Escape to put it back"
        };
        match holder(m.to, m.index) {
            Some(other) => format!(
                "{code} to {}: {other} is there, choose a free cell",
                cell_words(m.to)
            ),
            None => format!("{code} to {}: {place}", cell_words(m.to)),
        }
    };
    let place = move |dropped: bool| {
        let Some(m) = moving.get_untracked() else {
            return;
        };
        let (id, code, from) = {
            let all = hexagons.read_untracked();
            (
                all[m.index].id,
                all[m.index].code.clone(),
                all[m.index].position,
            )
        };
        if m.to == from {
            moving.set(None);
            message.set(format!("{code} stays at {}", cell_words(from)));
            return;
        }
        if let Some(other) = holder(m.to, m.index) {
            // A hexagon dropped on another goes back; one moved by keys stays lifted.
            if dropped {
                moving.set(None);
                message.set(format!(
                    "{} is {other}'s cell: {code} put back",
                    cell_words(m.to)
                ));
            } else {
                message.set(format!(
                    "{} is {other}'s cell: choose a free one",
                    cell_words(m.to)
                ));
            }
            return;
        }
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            message.set("Give the reason for moving hexagons first, above the map".into());
            return;
        }
        message.set(format!("Moving {code}…"));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let saved =
                crate::api::plan::place_output(id, m.to.q.to_string(), m.to.r.to_string(), why)
                    .await;
            match saved {
                Ok(()) => {
                    hexagons.update(|all| all[m.index].position = m.to);
                    moving.set(None);
                    message.set(format!("{code} moved to {}", cell_words(m.to)));
                    // Drawn afresh in its new cell, it keeps the keyboard's focus.
                    refocus(m.index);
                }
                Err(error) => message.set(format!("{code} was not moved: {error}")),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let select = move |index: usize| {
        let at = hexagons.read_untracked()[index].position;
        let m = Moving {
            index,
            to: at,
            dragging: false,
        };
        moving.set(Some(m));
        message.set(describe(m));
    };
    let key = move |index: usize, event: leptos::ev::KeyboardEvent| {
        let key = event.key();
        match (moving.get_untracked(), key.as_str()) {
            (Some(m), "Enter" | " ") if m.index == index => {
                event.prevent_default();
                place(false);
            }
            (_, "Enter" | " ") => {
                event.prevent_default();
                select(index);
            }
            (Some(m), "Escape") if m.index == index => {
                moving.set(None);
                message.set(format!(
                    "{} put back",
                    hexagons.read_untracked()[index].code
                ));
            }
            (Some(m), arrow) if m.index == index => {
                if let Some(to) = m.to.step(arrow) {
                    event.prevent_default();
                    let m = Moving { to, ..m };
                    moving.set(Some(m));
                    message.set(describe(m));
                }
            }
            _ => {}
        }
    };
    // Where a pointer is, in the drawing's units.
    let pointer_cell = move |event: &leptos::ev::PointerEvent| -> Option<HexPosition> {
        #[cfg(feature = "hydrate")]
        {
            // Found by its id: events reach their handlers delegated, not from the drawing.
            let svg = web_sys::window()?.document()?.get_element_by_id(DRAWING)?;
            let rect = svg.get_bounding_client_rect();
            let (x, y, width, height) = view_box.get_untracked();
            if rect.width() <= 0.0 || rect.height() <= 0.0 {
                return None;
            }
            let point = (
                x + (f64::from(event.client_x()) - rect.left()) * width / rect.width(),
                y + (f64::from(event.client_y()) - rect.top()) * height / rect.height(),
            );
            Some(HexPosition::nearest(point, MAP.cell))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = event;
            None
        }
    };
    let ghost = move || {
        moving.get().map(|m| {
            let taken = holder(m.to, m.index).is_some();
            view! {
                <polygon
                    class="layout-hex__ghost"
                    class:layout-hex__ghost--taken=taken
                    points=points(MAP.outline(m.to))
                />
            }
        })
    };
    view! {
        <div class="layout-editor">
            <div class="form-group">
                <label class="label" for="layout-reason">"Reason for moving hexagons"</label>
                <p class="hint" id="layout-reason-hint">"Recorded with each move in the audit trail."</p>
                <input class="input input--wide" id="layout-reason" name="reason" maxlength="500"
                    aria-describedby="layout-reason-hint"
                    prop:value=move || reason.get()
                    on:input=move |event| reason.set(event_target_value(&event)) />
            </div>
            <p class="hint" id="layout-help">
                "Drag a hexagon to a free cell, or Tab to it, press Enter, move it with the arrow keys and press Enter again to place it (Escape puts it back)."
            </p>
            <p class="body layout-editor__status" role="status" aria-live="polite">{move || message.get()}</p>
            <div class="layout-editor__scroll">
                <svg
                    id=DRAWING
                    class="layout-editor__svg"
                    role="group"
                    aria-label="The map's hexagons, to move"
                    aria-describedby="layout-help"
                    viewBox=move || {
                        let (x, y, w, h) = view_box.get();
                        format!("{x:.1} {y:.1} {w:.1} {h:.1}")
                    }
                    width=move || format!("{:.0}", view_box.get().2)
                    on:pointermove=move |event| {
                        if let (Some(m), Some(to)) = (moving.get_untracked(), pointer_cell(&event)) {
                            if m.dragging && to != m.to {
                                let m = Moving { to, ..m };
                                moving.set(Some(m));
                                message.set(describe(m));
                            }
                        }
                    }
                    on:pointerup=move |_| {
                        if let Some(m) = moving.get_untracked().filter(|m| m.dragging) {
                            moving.set(Some(Moving { dragging: false, ..m }));
                            place(true);
                        }
                    }
                >
                    {move || {
                        hexagons.get().into_iter().enumerate().map(|(index, h)| {
                            let (x, y) = MAP.centre(h.position);
                            let label = format!("{} {}: {}", h.code, h.short_title, cell_words(h.position));
                            let selected = move || moving.get().map(|m| m.index) == Some(index);
                            view! {
                                <g
                                    id=format!("layout-hex-{index}")
                                    class="layout-hex"
                                    class:layout-hex--selected=selected
                                    tabindex="0"
                                    role="button"
                                    aria-pressed=move || if selected() { "true" } else { "false" }
                                    aria-label=label
                                    data-output=h.code.clone()
                                    on:keydown=move |event| key(index, event)
                                    on:pointerdown=move |event: leptos::ev::PointerEvent| {
                                        event.prevent_default();
                                        select(index);
                                        moving.update(|m| if let Some(m) = m { m.dragging = true });
                                    }
                                >
                                    <polygon class="layout-hex__shape" points=points(MAP.outline(h.position)) />
                                    <text class="layout-hex__code" x=format!("{x:.1}") y=format!("{:.1}", y + 5.0) text-anchor="middle">{h.code.clone()}</text>
                                </g>
                            }
                        }).collect_view()
                    }}
                    {ghost}
                </svg>
            </div>
            <div class="table-scroll" role="region" aria-labelledby="cells-caption" tabindex="0">
                <table class="table">
                    <caption class="table__caption" id="cells-caption">"Where each output sits"</caption>
                    <thead><tr><th scope="col">"Output"</th><th scope="col" class="numeric">"Column"</th><th scope="col" class="numeric">"Row"</th></tr></thead>
                    <tbody>
                        {move || hexagons.get().into_iter().map(|h| view! {
                            <tr><th scope="row">{format!("{} {}", h.code, h.title)}</th><td class="numeric">{h.position.q}</td><td class="numeric">{h.position.r}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
