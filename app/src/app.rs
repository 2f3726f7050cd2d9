//! The page shell, header, footer and routes.

use crate::domain::roles::Action;
use crate::pages::changes::{ChangeListPage, ChangeSummaryPage};
use crate::pages::completeness::{CompletenessPage, ImportPage};
use crate::pages::indicator::{IndicatorHistoryPage, IndicatorPage};
use crate::pages::manage::{IndicatorManagePage, ProposePage};
use crate::pages::map::{FullMapPage, MapPage};
use crate::pages::people::{PeoplePage, PersonPage};
use crate::pages::returns::ReturnsPage;
use crate::pages::{not_found::NotFound, output::OutputPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::protect_page();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <PageHead stylesheet=Some(stylesheet_href(&options)) />
                <meta name="description" content=format!("Performance of the {}", crate::session::plan_identity().describe()) />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// What the head of every page Hexplan serves holds: the character set, the viewport, the
/// icon and the stylesheet at `stylesheet`.
#[component]
pub fn PageHead(
    /// The site's stylesheet; none for a published report, which carries its own.
    stylesheet: Option<String>,
) -> impl IntoView {
    view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {stylesheet.map(|href| view! { <link rel="stylesheet" id="hexplan" href=href /> })}
    }
}

/// The address of the site's stylesheet: `/pkg/hexplan.css`, or, in a release build whose
/// files carry their content's hash (listed in `hash.txt` beside the server), that name.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    // One build, one name: read once.
    static HASH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| {
        options
            .hash_files
            .then(|| {
                let file = std::env::current_exe()
                    .ok()?
                    .parent()?
                    .join(options.hash_file.as_ref());
                let hashes = std::fs::read_to_string(file).ok()?;
                hashes.lines().find_map(|line| {
                    let (kind, hash) = line.split_once(':')?;
                    (kind.trim() == "css").then(|| hash.trim().to_string())
                })
            })
            .flatten()
    });
    match hash {
        Some(hash) => format!(
            "/{}/{}.{hash}.css",
            options.site_pkg_dir, options.output_name
        ),
        None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
    }
}

/// The text of every page's `<title>`: the page's own title, then the service's and the
/// plan's header. It is escaped here, once for every page, because leptos_meta writes the
/// title into the page as it is given, and titles carry what people typed (an indicator's
/// title, a person's name).
pub fn page_title(page: &str, header: &str) -> String {
    crate::components::escape(&title_text(page, header))
}

/// The title of a page as words, not yet escaped.
pub fn title_text(page: &str, header: &str) -> String {
    if header.is_empty() {
        format!("{page} – Hexplan")
    } else {
        format!("{page} – Hexplan – {header}")
    }
}

/// "Signed in as … · Sign out", or a link to sign in.
#[component]
fn SignedInAs() -> impl IntoView {
    match crate::session::current_user() {
        Some(user) => view! {
            <li><a class="header__link" href="/reviews">"Peer review"</a></li>
            {user.has(crate::domain::roles::Role::DataOwner).then(|| view! {
                <li><a class="header__link" href="/returns">"My returns"</a></li>
            })}
            {user.may(Action::OverseeReporting).then(|| view! {
                <li><a class="header__link" href="/returns/completeness">"Returns"</a></li>
            })}
            {user.may(Action::ShapePlan).then(|| view! {
                <li><a class="header__link" href="/plan">"Plan"</a></li>
            })}
            {user.may(Action::ManagePeople).then(|| view! {
                <li><a class="header__link" href="/people">"People"</a></li>
                <li><a class="header__link" href="/audit">"Audit trail"</a></li>
            })}
            // Who is signed in and Sign out stay together when the links wrap.
            <li class="header__account">
                <span class="header__user">{format!("{} ({})", user.name, user.role_labels())}</span>
                <form method="post" action="/sign-out" class="header__sign-out">
                    <button type="submit" class="header__button">"Sign out"</button>
                </form>
            </li>
        }
        .into_any(),
        None => view! { <li><a class="header__link" href="/sign-in">"Sign in"</a></li> }.into_any(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let plan = crate::session::plan_identity();
    let header = plan.header();
    let title_header = header.clone();
    view! {
        <Title formatter=move |page: String| page_title(&page, &title_header) />
        <Router>
            <a href="#main-content" class="skip-link">"Skip to main content"</a>
            <header class="header" role="banner">
                <div class="header__inner width-container">
                    <a href="/" class="header__service">
                        <span class="header__logo" aria-hidden="true">"⬢"</span>
                        " Hexplan"
                    </a>
                    <span class="header__council">{header}</span>
                    <nav class="header__nav" aria-label="Main">
                        <ul class="header__links">
                            <li><a class="header__link" href="/">"Map"</a></li>
                            <li><a class="header__link" href="/changes">"Change summary"</a></li>
                            <li><a class="header__link" href="/reports">"Reports"</a></li>
                            <SignedInAs />
                        </ul>
                    </nav>
                </div>
            </header>
            {plan.demonstration.then(|| view! {
                <aside class="phase-banner width-container" aria-label="About these figures">
                    <strong class="tag tag--blue">"Demonstration"</strong>
                    " The figures shown are demonstration data based on the December 2017 scrutiny bulletin; the people are fictional."
                </aside>
            })}
            <div class="width-container">
                <main id="main-content" class="main-wrapper" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=MapPage ssr=SsrMode::Async />
                        <Route path=path!("/map/full") view=FullMapPage ssr=SsrMode::Async />
                        <Route path=path!("/outputs/:id") view=OutputPage ssr=SsrMode::Async />
                        <Route path=path!("/indicators/:id") view=IndicatorPage ssr=SsrMode::Async />
                        <Route path=path!("/indicators/:id/history") view=IndicatorHistoryPage ssr=SsrMode::Async />
                        <Route path=path!("/indicators/:id/manage") view=IndicatorManagePage ssr=SsrMode::Async />
                        <Route path=path!("/indicators/:id/target") view=crate::pages::target::TargetPage ssr=SsrMode::Async />
                        <Route path=path!("/outputs/:id/propose") view=ProposePage ssr=SsrMode::Async />
                        <Route path=path!("/returns") view=ReturnsPage ssr=SsrMode::Async />
                        <Route path=path!("/returns/completeness") view=CompletenessPage ssr=SsrMode::Async />
                        <Route path=path!("/returns/imports/:id") view=ImportPage ssr=SsrMode::Async />
                        <Route path=path!("/reports") view=crate::pages::reports::ReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/achievements") view=crate::pages::achievements::AchievementsPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews") view=crate::pages::reviews::ReviewsPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews/:id") view=crate::pages::reviews::ReviewSessionPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews/:id/summary") view=crate::pages::review_summary::ReviewSummaryPage ssr=SsrMode::Async />
                        <Route path=path!("/people") view=PeoplePage ssr=SsrMode::Async />
                        <Route path=path!("/plan") view=crate::pages::plan::PlanPage ssr=SsrMode::Async />
                        <Route path=path!("/plan/layout") view=crate::pages::plan::LayoutPage ssr=SsrMode::Async />
                        <Route path=path!("/plan/imports/:id") view=crate::pages::plan::PlanImportPage ssr=SsrMode::Async />
                        <Route path=path!("/people/:id") view=PersonPage ssr=SsrMode::Async />
                        <Route path=path!("/changes") view=ChangeSummaryPage ssr=SsrMode::Async />
                        <Route path=path!("/changes/list") view=ChangeListPage ssr=SsrMode::Async />
                        <Route path=path!("/sign-in") view=crate::pages::sign_in::SignInPage />
                        <Route path=path!("/audit") view=crate::pages::audit::AuditPage ssr=SsrMode::Async />
                    </Routes>
                </main>
            </div>
            <footer class="footer" role="contentinfo">
                <div class="width-container">
                    <p>
                        {format!("Hexplan shows the {}: its themes, outcomes and outputs, and the indicators that track and influence them. ", plan.describe())}
                        <a href="/api/map.hexjson" download="jsp-map.hexjson">"Download the map layout (HexJSON)"</a>
                        " · "
                        <a href="/open-data/indicator-values.csv">"Open data: every indicator's values (CSV)"</a>
                    </p>
                </div>
            </footer>
        </Router>
    }
}
