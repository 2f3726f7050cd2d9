//! Plain HTML forms that post to server functions, so every change works without JavaScript.
//!
//! Leptos answers such a post by sending the browser on: to where the server function says
//! once the change is saved, or back to the form's page with the refusal in the address
//! (`__path` names the server function, `__err` holds the error). `returned_error` reads it
//! back, and the form shows it in an error summary and beside its field.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_router::hooks::use_query_map;

/// The address parameter that carries the seal of a refused form's message (see
/// `security::FormSeal`).
pub const SEAL: &str = "__seal";

/// The error the server function at `path` sent back through this page's address, if any:
/// only one the server sealed, so a link cannot make a page show a message of its own.
pub fn returned_error(path: &str) -> Option<AppError> {
    let query = use_query_map().get_untracked();
    if query.get("__path")? != path {
        return None;
    }
    let error = query.get("__err")?;
    sealed_by_this_site(path, &error, &query.get(SEAL)?)
        .then(|| ServerFnUrlError::<AppError>::decode_err(&error))
}

/// Whether the server sealed this message for the person reading the page.
#[cfg(feature = "ssr")]
fn sealed_by_this_site(path: &str, error: &str, seal: &str) -> bool {
    match (
        use_context::<crate::security::FormSeal>(),
        crate::session::current_user(),
    ) {
        (Some(site), Some(reader)) => site.holds(reader.person_id, path, error, seal),
        _ => false,
    }
}

/// Pages read their errors as they render on the server; the browser never needs to.
#[cfg(not(feature = "ssr"))]
fn sealed_by_this_site(_path: &str, _error: &str, _seal: &str) -> bool {
    false
}

/// What a field asks for.
#[derive(Clone, Debug)]
pub enum Input {
    Text {
        value: String,
        max: usize,
    },
    /// Text that may be left empty.
    Optional {
        value: String,
        max: usize,
    },
    Area {
        value: String,
        max: usize,
    },
    Email,
    Username,
    NewPassword,
    /// (value, label) pairs; the first is chosen.
    Select(Vec<(String, String)>),
    /// (value, label) pairs, with the value chosen.
    Choose {
        options: Vec<(String, String)>,
        chosen: String,
    },
}

/// A select with `chosen` chosen; none: the browser chooses the first.
fn select(
    id: String,
    name: &'static str,
    described_by: Option<String>,
    invalid: Option<&'static str>,
    options: Vec<(String, String)>,
    chosen: Option<String>,
) -> AnyView {
    view! {
        <select class="select" id=id name=name aria-describedby=described_by aria-invalid=invalid>
            {options.into_iter().map(|(value, label)| {
                let selected = chosen.as_ref() == Some(&value);
                view! { <option value=value selected=selected>{label}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

/// One labelled field with its hint and, after a refused post, its message.
#[component]
pub fn Field(
    /// Makes ids unique when a page has several forms.
    form: &'static str,
    name: &'static str,
    label: String,
    #[prop(optional, into)] hint: Option<String>,
    input: Input,
    error: Option<AppError>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = error
        .filter(|e| e.field() == Some(name))
        .map(|e| e.to_string());
    let described_by = [
        hint.as_ref().map(|_| hint_id.clone()),
        message.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let invalid = message.is_some().then_some("true");
    let group = if message.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    // Leptos writes a textarea's text unescaped on the server, so a stored "</textarea>"
    // could end it early; the text is escaped here and set as its markup instead.
    let control = match input {
        Input::Text { value, max } => view! {
            <input class="input input--wide" type="text" id=id.clone() name=name value=value maxlength=max required
                aria-describedby=described_by aria-invalid=invalid />
        }
        .into_any(),
        Input::Optional { value, max } => view! {
            <input class="input input--wide" type="text" id=id.clone() name=name value=value maxlength=max
                aria-describedby=described_by aria-invalid=invalid />
        }
        .into_any(),
        Input::Area { value, max } => view! {
            <textarea class="input input--wide textarea" id=id.clone() name=name rows="4" maxlength=max required
                aria-describedby=described_by aria-invalid=invalid inner_html=super::escape(&value)></textarea>
        }
        .into_any(),
        Input::Email => view! {
            <input class="input input--wide" type="email" id=id.clone() name=name autocomplete="off" spellcheck="false" required
                aria-describedby=described_by aria-invalid=invalid />
        }
        .into_any(),
        Input::Username => view! {
            <input class="input input--wide" type="text" id=id.clone() name=name autocomplete="off" spellcheck="false" required
                pattern="[a-z0-9.\\-]{3,40}" aria-describedby=described_by aria-invalid=invalid />
        }
        .into_any(),
        Input::NewPassword => view! {
            <input class="input input--wide" type="password" id=id.clone() name=name autocomplete="new-password" required
                minlength=crate::domain::input::PASSWORD_MIN aria-describedby=described_by aria-invalid=invalid />
        }
        .into_any(),
        Input::Select(options) => select(id.clone(), name, described_by, invalid, options, None),
        Input::Choose { options, chosen } => select(id.clone(), name, described_by, invalid, options, Some(chosen)),
    };
    view! {
        <div class=group>
            <label class="label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {message.map(|message| view! { <ErrorMessage id=error_id message /> })}
            {control}
        </div>
    }
}

/// The reason every recorded change needs.
#[component]
pub fn ReasonField(form: &'static str, error: Option<AppError>) -> impl IntoView {
    view! {
        <Field form name="reason" label="Reason for the change".to_string()
            hint="Recorded in the audit trail with your name and the date"
            input=Input::Text { value: String::new(), max: 500 } error />
    }
}

/// A form that posts to the server function at `action`, with its error summary on top.
#[component]
pub fn PostForm(
    form: &'static str,
    action: &'static str,
    error: Option<AppError>,
    button: &'static str,
    /// Styles the button as one that takes something away.
    #[prop(optional)]
    warning: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="form" id=form>
            <ErrorSummary error form />
            {children()}
            <button type="submit" class=if warning { "button button--warning" } else { "button" }>{button}</button>
        </form>
    }
}

/// "There is a problem", with the message linked to its field when it has one.
#[component]
pub fn ErrorSummary(
    error: Option<AppError>,
    /// The form whose field the message links to.
    #[prop(optional)]
    form: Option<&'static str>,
) -> impl IntoView {
    error.map(|error| {
        let href = error
            .field()
            .zip(form)
            .map(|(field, form)| format!("#{form}-{field}"));
        view! { <ProblemSummary message=error.to_string() href /> }
    })
}

/// The box above a form that says what went wrong, its message linked to the field at fault
/// when `href` names it. The page opens on it, with focus there, so the person sees first
/// that their change was not made.
#[component]
pub fn ProblemSummary(message: String, href: Option<String>) -> impl IntoView {
    view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus>
            <h2 class="error-summary__title">"There is a problem"</h2>
            <p class="error-summary__body">
                {match href {
                    Some(href) => view! { <a class="link" href=href>{message}</a> }.into_any(),
                    None => view! { {message} }.into_any(),
                }}
            </p>
        </div>
    }
}

/// The message beside a field that failed its check; screen readers hear "Error:" first.
#[component]
pub fn ErrorMessage(id: String, message: String) -> impl IntoView {
    view! { <p class="error-message" id=id><span class="visually-hidden">"Error: "</span>{message}</p> }
}

/// A list of what something holds (roles, outputs, links), each item with a small form, a
/// reason and a button, that takes it away through the server function at `action`.
#[component]
pub fn RemovableList(
    /// Makes ids unique when a page has several lists.
    form: &'static str,
    /// (value, label) of each item.
    items: Vec<(String, String)>,
    empty: &'static str,
    action: &'static str,
    hidden: Vec<(&'static str, String)>,
    /// The field that names the item.
    key: &'static str,
    button: &'static str,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="body">{empty}</p> }.into_any();
    }
    view! {
        <ul class="link-list">
            {items
                .into_iter()
                .map(|(value, label)| {
                    let reason_id = format!("{form}-{value}-reason");
                    view! {
                        <li class="link-list__item">
                            <span class="link-list__label">{label.clone()}</span>
                            <form method="post" action=action class="link-list__form">
                                {hidden.iter().map(|(name, value)| view! { <input type="hidden" name=*name value=value.clone() /> }).collect_view()}
                                <input type="hidden" name=key value=value />
                                <label class="visually-hidden" for=reason_id.clone()>{format!("Reason for the change to {label}")}</label>
                                <input class="input" type="text" id=reason_id name="reason" maxlength="500" required placeholder="Reason" />
                                <button type="submit" class="button button--secondary">
                                    {button} <span class="visually-hidden">{format!(" {label}")}</span>
                                </button>
                            </form>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
