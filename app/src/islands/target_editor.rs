//! A target that its Portfolio Holder can amend in place: press Enter or click on the value,
//! type, give a reason, Enter saves (Shift and Enter starts a new line of the reason) and
//! Escape cancels. The status beside it is recomputed with the same rule the server uses, and
//! "Saved" shows beside it until the target is changed again.

use crate::api::targets::{amend_target, EditableTarget};
use crate::components::form::ErrorMessage;
use crate::components::status::StatusTag;
use crate::domain::plausibility;
use crate::domain::status::status;
use crate::domain::target::target_for_quarter;
use crate::domain::target::Amendment;
use crate::domain::{format, Polarity, Quarter, Status};
use crate::error::AppError;
use leptos::html;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the cell needs to judge the quarter's value against an amended target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judging {
    pub quarter: Quarter,
    pub value: Option<f64>,
    pub quarterly_target: Option<f64>,
    pub polarity: Polarity,
    pub cumulative: bool,
}

impl Judging {
    fn target(&self, annual: Option<f64>) -> Option<f64> {
        target_for_quarter(self.quarter, annual, self.quarterly_target, self.cumulative)
    }

    fn status(&self, annual: Option<f64>, tolerance: f64) -> Status {
        status(self.value, self.target(annual), self.polarity, tolerance)
    }
}

#[island]
pub fn TargetEditor(target: EditableTarget, judging: Judging) -> impl IntoView {
    let saved = RwSignal::new(target.clone());
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    // A figure far from the indicator's recent ones: the question asked before it is saved.
    let doubt = RwSignal::new(None::<String>);
    let announcement = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let value_input = NodeRef::<html::Input>::new();
    let open_button = NodeRef::<html::A>::new();
    let form = NodeRef::<html::Form>::new();
    let base_id = format!("target-{}-{}", target.indicator_id, target.council.code());
    let unit = target.unit;
    let year = crate::domain::FinancialYear(target.year);
    let judging = StoredValue::new(judging);
    let shown_status = move || {
        let t = saved.get();
        judging.with_value(|j| j.status(t.value, t.amber_tolerance))
    };
    let shown_target =
        move || format::maybe_value(judging.with_value(|j| j.target(saved.get().value)), unit);

    let (value_text, tolerance_text, reason_text) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let plain_form = format!(
        "/indicators/{}/target?council={}",
        target.indicator_id,
        target.council.code()
    );
    let open = move |()| {
        let current = saved.get_untracked();
        value_text.set(
            current
                .value
                .map(|v| format::number(v, 2).replace(',', ""))
                .unwrap_or_default(),
        );
        tolerance_text.set(format::number(current.amber_tolerance, 1));
        error.set(None);
        doubt.set(None);
        announcement.set(String::new());
        editing.set(true);
    };
    // Focus follows the editor: into the value when it opens, back to the button when it closes.
    let return_focus = RwSignal::new(false);
    Effect::new(move |_| {
        if editing.get() {
            if let Some(input) = value_input.get() {
                let _ = input.focus();
                input.select();
            }
        } else if return_focus.get_untracked() {
            request_animation_frame(move || {
                if let Some(button) = open_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
    });
    let close = move || {
        return_focus.set(true);
        editing.set(false);
        error.set(None);
    };
    let send = move |confirmed: bool| {
        let current = saved.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = amend_target(
                current.indicator_id,
                current.council.code().to_string(),
                current.year,
                value_text.get_untracked(),
                tolerance_text.get_untracked(),
                reason_text.get_untracked(),
                current.version,
                Some(confirmed),
            )
            .await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    announcement.set(format!(
                        "Saved: target {}, status now {}.",
                        format::maybe_value(updated.value, updated.unit),
                        judging
                            .with_value(|j| j.status(updated.value, updated.amber_tolerance))
                            .label()
                            .to_lowercase()
                    ));
                    saved.set(updated);
                    reason_text.set(String::new());
                    close();
                }
                Err(AppError::Doubtful { message, .. }) => doubt.set(Some(message)),
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        // The same checks the server makes, made here first so the message is immediate.
        let current = saved.get_untracked();
        let amendment = match Amendment::read(
            &value_text.get_untracked(),
            &tolerance_text.get_untracked(),
            &reason_text.get_untracked(),
            current.unit,
        ) {
            Ok(amendment) => amendment,
            Err(problem) => {
                error.set(Some(problem.into()));
                return;
            }
        };
        error.set(None);
        // The server's second look, asked here first, so the question is immediate.
        match plausibility::doubt(amendment.value, &current.recent_values, current.value) {
            Some(question) => doubt.set(Some(question.message(current.unit))),
            None => send(false),
        }
    };
    let message_for = move |field: &'static str| {
        move || match error.get() {
            Some(AppError::Invalid { field: f, message }) if f == field => Some(message),
            _ => None,
        }
    };
    let other_problem = move || match error.get() {
        Some(AppError::Invalid { .. } | AppError::Doubtful { .. }) | None => None,
        Some(AppError::Forbidden) => {
            Some("You do not have permission to change this target. It was not saved.".to_string())
        }
        Some(AppError::NotSignedIn) => {
            Some("Your sign-in has ended. Sign in again to change this target.".to_string())
        }
        Some(other) => Some(other.to_string()),
    };
    let ids = StoredValue::new((
        format!("{base_id}-value"),
        format!("{base_id}-tolerance"),
        format!("{base_id}-reason"),
    ));
    let id = move |n: usize| ids.with_value(|ids| [&ids.0, &ids.1, &ids.2][n].clone());
    view! {
        <div class="target-editor">
            <span class="target-editor__target">{shown_target}</span>
            " "
            {move || view! { <StatusTag status=shown_status() /> }}
            // A link to the plain form until the script takes over and opens the editor here.
            <a
                class="target-editor__open"
                href=plain_form
                node_ref=open_button
                on:click=move |event| {
                    event.prevent_default();
                    open(());
                }
                aria-expanded=move || editing.get().to_string()
                aria-label=move || format!("Change the {year} target, now {}", format::maybe_value(saved.get().value, unit))
                hidden=move || editing.get()
            >
                "Change"
            </a>
            // Seen as well as heard, until the target is changed again.
            <p class="target-editor__saved" role="status" aria-live="polite">
                {move || {
                    let text = announcement.get();
                    (!text.is_empty()).then(|| view! { <strong class="tag tag--green">"✓ " {text}</strong> })
                }}
            </p>
            <Show when=move || editing.get()>
                <form
                    class="target-editor__form"
                    node_ref=form
                    on:submit=save
                    on:keydown=move |event: leptos::ev::KeyboardEvent| {
                        if event.key() == "Escape" {
                            event.prevent_default();
                            close();
                        }
                        let in_reason = event_target::<leptos::web_sys::HtmlElement>(&event).tag_name() == "TEXTAREA";
                        if event.key() == "Enter" && !event.shift_key() && in_reason {
                            event.prevent_default();
                            if let Some(form) = form.get_untracked() {
                                let _ = form.request_submit();
                            }
                        }
                    }
                >
                    {move || other_problem().map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
                    <Field id=id(0) label=format!("{year} target") message=Signal::derive(message_for("value"))>
                        <input
                            class="input input--short"
                            id=id(0)
                            node_ref=value_input
                            inputmode="decimal"
                            prop:value=move || value_text.get()
                            on:input=move |e| {
                                value_text.set(event_target_value(&e));
                                doubt.set(None);
                            }
                        />
                    </Field>
                    <Field id=id(1) label="Amber tolerance (%)".to_string() message=Signal::derive(message_for("tolerance"))>
                        <input
                            class="input input--short"
                            id=id(1)
                            inputmode="decimal"
                            prop:value=move || tolerance_text.get()
                            on:input=move |e| tolerance_text.set(event_target_value(&e))
                        />
                    </Field>
                    <Field id=id(2) label="Reason for the change".to_string() message=Signal::derive(message_for("reason"))>
                        <textarea class="input textarea" id=id(2) rows="3" maxlength="500" prop:value=move || reason_text.get() on:input=move |e| reason_text.set(event_target_value(&e))></textarea>
                    </Field>
                    {move || doubt.get().map(|message| view! {
                        <div class="target-editor__doubt" role="alert">
                            <p class="body"><strong>{message}</strong></p>
                            <button type="button" class="button button--warning" disabled=move || busy.get() on:click=move |_| send(true)>
                                {format!("Yes, save {}", value_text.get_untracked())}
                            </button>
                        </div>
                    })}
                    <button type="submit" class="button" disabled=move || busy.get()>"Save"</button>
                    " "
                    <button type="button" class="button button--secondary" on:click=move |_| close()>"Cancel"</button>
                </form>
            </Show>
        </div>
    }
    .into_any()
}

/// A labelled input with its message beside it.
#[component]
fn Field(
    id: String,
    label: String,
    message: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class=move || if message.get().is_some() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id.clone()>{label}</label>
            {
                let error_id = error_id.clone();
                move || message.get().map(|message| view! { <ErrorMessage id=error_id.clone() message /> })
            }
            {children()}
        </div>
    }
    .into_any()
}
