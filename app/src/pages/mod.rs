//! One module per route.

pub mod audit;
pub mod changes;
pub mod indicator;
pub mod manage;
pub mod map;
pub mod not_found;
pub mod output;
pub mod people;
pub mod sign_in;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

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
