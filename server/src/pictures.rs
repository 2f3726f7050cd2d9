//! `/map.svg` and `/map.png`: the map as shown (council and quarter), with its heading and key,
//! as a picture to put in a committee paper. The PNG is drawn from the same SVG by resvg, at
//! twice its size for print, with the DejaVu fonts the site ships (and any the system has).

use crate::state::AppState;
use app::components::hexmap::standalone_svg;
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use resvg::{tiny_skia, usvg};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/map.svg",
            get(|state, query| picture(state, query, Format::Svg)),
        )
        .route(
            "/map.png",
            get(|state, query| picture(state, query, Format::Png)),
        )
}

#[derive(Clone, Copy)]
enum Format {
    Svg,
    Png,
}

async fn picture(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    format: Format,
) -> Response {
    let view = match app::store::plan::view(
        &state.db,
        query.get("council").map(String::as_str),
        query.get("period").map(String::as_str),
    )
    .await
    {
        Ok(view) => view,
        Err(error) => return AppError::from(error).into_response(),
    };
    let plan = match app::store::plan::identity(&state.db).await {
        Ok(plan) => plan,
        Err(error) => return AppError::from(error).into_response(),
    };
    let (council, period, calendar) = (view.council.clone(), view.period, view.calendar);
    let whose = view.councils.describe(&council);
    let map = match app::store::map::load(&state.db, view).await {
        Ok(map) => map,
        Err(error) => return error.into_response(),
    };
    let heading = format!(
        "{}, {period} ({}), {whose}",
        plan.caption(),
        calendar.quarter_dates(period)
    );
    let svg = standalone_svg(&map, &heading);
    let name = format!("jsp-map-{}-{}", period.slug(), council.code());
    match format {
        Format::Svg => attachment("image/svg+xml", &name, "svg", svg.into_bytes()),
        Format::Png => {
            let fonts = state.leptos_options.site_root.to_string();
            match tokio::task::spawn_blocking(move || png(&svg, &fonts)).await {
                Ok(Some(png)) => attachment("image/png", &name, "png", png),
                _ => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The map could not be drawn as a picture just now; download it as SVG instead.",
                )
                    .into_response(),
            }
        }
    }
}

fn attachment(content_type: &str, name: &str, extension: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{extension}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The SVG drawn as a PNG at twice its size, or `None` if it cannot be.
fn png(svg: &str, site_root: &str) -> Option<Vec<u8>> {
    let tree = usvg::Tree::from_str(svg, &options(site_root)).ok()?;
    let scale = png_scale(tree.size().width(), tree.size().height());
    let size = tree.size().to_int_size().scale_by(scale)?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().ok()
}

/// The longest side of a map's picture, in pixels: however a plan's map is laid out, one
/// picture needs at most 6,000 × 6,000 pixels (144 MB while drawn).
const PNG_SIDE_MAX: f32 = 6_000.0;

/// How much the picture is enlarged: twice, for print, unless that would make a side longer
/// than `PNG_SIDE_MAX`; then less, however small.
fn png_scale(width: f32, height: f32) -> f32 {
    let longest = width.max(height).max(1.0);
    (PNG_SIDE_MAX / longest).min(2.0)
}

/// The fonts, found once: the site's own (so a server with none installed still draws text)
/// and the system's.
fn options(site_root: &str) -> usvg::Options<'static> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_fonts_dir(std::path::Path::new(site_root).join("vendor/fonts"));
        fonts.load_system_fonts();
        fonts.set_sans_serif_family("DejaVu Sans Condensed");
        Arc::new(fonts)
    });
    usvg::Options {
        fontdb: fonts.clone(),
        font_family: "DejaVu Sans Condensed".to_string(),
        ..usvg::Options::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_map_laid_out_far_and_wide_is_drawn_within_bounds() {
        assert_eq!(super::png_scale(1_200.0, 900.0), 2.0);
        let scale = super::png_scale(70_000.0, 60_000.0);
        assert!(70_000.0 * scale <= super::PNG_SIDE_MAX + 1.0);
    }
}
