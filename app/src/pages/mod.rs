//! One module per route.

pub mod achievements;
pub mod audit;
pub mod changes;
pub mod completeness;
pub mod indicator;
pub mod manage;
pub mod map;
pub mod not_found;
pub mod output;
pub mod people;
pub mod plan;
pub mod portfolio;
pub mod reports;
pub mod returns;
pub mod review_summary;
pub mod reviews;
pub mod sign_in;
pub mod target;

use crate::components::error::or_error;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// The `council` and `period` of the address, as the server functions take them.
pub(crate) fn view_query() -> Memo<(Option<String>, Option<String>)> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        (query.get("council"), query.get("period"))
    })
}

/// The numeric `id` of the address, if it is one.
pub(crate) fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// Loads what the address's numeric `id` names with `fetch`; an address without one is
/// `what` not found.
pub(crate) fn by_id<T, Fut>(
    what: &'static str,
    fetch: impl Fn(i64) -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let id = id_param();
    Resource::new(
        move || id.get(),
        move |id| {
            let fetching = id.map(&fetch);
            async move {
                match fetching {
                    Some(fetching) => fetching.await,
                    None => Err(AppError::not_found(what)),
                }
            }
        },
    )
}

/// A page's content once `resource` has loaded (`loading` meanwhile), or the error panel.
pub(crate) fn loaded<T>(
    resource: Resource<Result<T, AppError>>,
    loading: &'static str,
    content: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="body">{loading}</p> }>
            {move || {
                let content = content.clone();
                Suspend::new(async move { or_error(resource.await, content) })
            }}
        </Transition>
    }
}
