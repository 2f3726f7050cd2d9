//! Many plans in one deployment. Each plan (one council's, or a partnership of councils')
//! has a database of its own, so its people, roles, map, data, reports and
//! audit chain are its own by construction: no query can forget which plan it is in. The host
//! name a request comes to chooses the plan.
//!
//! The plans are listed in a TOML file (`--plans`):
//!
//! ```toml
//! [[plan]]
//! slug = "babergh-mid-suffolk"
//! hosts = ["jsp.babergh.gov.uk", "jsp.midsuffolk.gov.uk"]
//! database = "postgres://hexplan@db.internal/hexplan_babergh_mid_suffolk"
//! ```
//!
//! Without the file there is one plan, answering on every host name: the embedded default.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// One plan of the deployment, ready to serve.
#[derive(Clone, Debug)]
pub struct Plan {
    /// A short name, used in messages and for the plan's default database file.
    pub slug: String,
    /// The host names the plan is served on (lower-case, without a port). Empty: every host
    /// (only for the single plan of the embedded default).
    pub hosts: Vec<String>,
    /// The plan's database URL.
    pub database: String,
    /// Load the demonstration data into the plan's database when it is empty.
    pub demo: bool,
    /// The plan's public address, for links in reminder emails; by default its first host.
    pub public_url: Option<String>,
}

/// A plan as the plans file lists it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    slug: String,
    #[serde(default)]
    hosts: Vec<String>,
    /// By default `plans/<slug>.db` in the data directory.
    #[serde(default)]
    database: Option<String>,
    #[serde(default)]
    demo: bool,
    #[serde(default)]
    public_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlansFile {
    #[serde(default)]
    plan: Vec<Listed>,
}

/// Why the plans file cannot be used; nothing is served.
#[derive(Debug, thiserror::Error)]
pub enum PlansError {
    #[error("the plans file {path} could not be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the plans file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

/// Reads and checks the plans file, filling in each plan's default database.
pub fn read(path: &Path, data_dir: &Path) -> Result<Vec<Plan>, PlansError> {
    let text = std::fs::read_to_string(path).map_err(|source| PlansError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let invalid = |message: String| PlansError::Invalid {
        path: path.display().to_string(),
        message,
    };
    let file: PlansFile = toml::from_str(&text).map_err(|error| invalid(error.to_string()))?;
    check(&file.plan).map_err(invalid)?;
    Ok(file
        .plan
        .into_iter()
        .map(|listed| Plan {
            database: listed
                .database
                .unwrap_or_else(|| default_database(data_dir, &listed.slug)),
            hosts: listed
                .hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            slug: listed.slug,
            demo: listed.demo,
            public_url: listed.public_url,
        })
        .collect())
}

/// The database a plan gets when the file names none: an SQLite file in the data directory.
pub fn default_database(data_dir: &Path, slug: &str) -> String {
    let file: PathBuf = data_dir.join("plans").join(format!("{slug}.db"));
    format!("sqlite://{}", file.display())
}

/// Every rule a plans file must keep, each broken one named.
fn check(plans: &[Listed]) -> Result<(), String> {
    if plans.is_empty() {
        return Err("it lists no [[plan]]".into());
    }
    let mut slugs = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for plan in plans {
        let slug = &plan.slug;
        if slug.is_empty()
            || slug.len() > 63
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!(
                "the slug \"{slug}\" must be 1 to 63 lower-case letters, digits or hyphens"
            ));
        }
        if !slugs.insert(slug.clone()) {
            return Err(format!("two plans have the slug \"{slug}\""));
        }
        if plan.hosts.is_empty() {
            return Err(format!("the plan \"{slug}\" lists no hosts"));
        }
        for host in &plan.hosts {
            if host.is_empty() || host.contains([':', '/', ' ']) {
                return Err(format!(
                    "the plan \"{slug}\" has the host \"{host}\": give a host name alone, without a scheme or port"
                ));
            }
            if !hosts.insert(host.to_ascii_lowercase()) {
                return Err(format!("the host \"{host}\" is listed for two plans"));
            }
        }
    }
    Ok(())
}

/// The host name a request came to, lower-cased and without its port.
fn host_of(request: &Request) -> String {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| request.uri().host())
        .unwrap_or_default();
    let name = match host.rsplit_once(':') {
        // An IPv6 literal keeps its colons inside brackets.
        Some((name, port)) if !port.contains(']') => name,
        _ => host,
    };
    name.to_ascii_lowercase()
}

/// One router that passes each request to the router of the plan its host name chooses.
/// A host no plan lists gets a 404, except for the health check, which says the process is
/// up (each plan's own `/healthz`, on its host, checks its database).
pub fn by_host(plans: Vec<(Plan, Router)>) -> Router {
    let count = plans.len();
    let mut routers = HashMap::new();
    for (plan, router) in plans {
        for host in plan.hosts {
            routers.insert(host, router.clone());
        }
    }
    let routers = Arc::new(routers);
    Router::new().fallback(move |request: Request| {
        let routers = routers.clone();
        async move {
            match routers.get(&host_of(&request)) {
                Some(router) => match router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                None if request.uri().path() == "/healthz" => {
                    (StatusCode::OK, format!("ok: serving {count} plans")).into_response()
                }
                None => (
                    StatusCode::NOT_FOUND,
                    "Hexplan serves no plan at this address.",
                )
                    .into_response(),
            }
        }
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Vec<Listed>, String> {
        let file: PlansFile = toml::from_str(text).map_err(|e| e.to_string())?;
        check(&file.plan)?;
        Ok(file.plan)
    }

    #[test]
    fn a_plans_file_lists_each_plan_with_its_hosts_and_database() {
        let plans = parsed(
            r#"
            [[plan]]
            slug = "babergh-mid-suffolk"
            hosts = ["jsp.babergh.gov.uk", "jsp.midsuffolk.gov.uk"]
            database = "postgres://hexplan@db/hexplan_bms"

            [[plan]]
            slug = "ipswich"
            hosts = ["jsp.ipswich.gov.uk"]
            "#,
        )
        .expect("valid");
        assert_eq!(plans.len(), 2);
        assert_eq!(plans[0].hosts.len(), 2);
        assert_eq!(plans[1].database, None);
        assert_eq!(
            default_database(Path::new("data"), "ipswich"),
            "sqlite://data/plans/ipswich.db"
        );
    }

    #[test]
    fn a_plans_file_that_could_mix_plans_up_is_refused_with_the_reason() {
        for (text, reason) in [
            ("", "no [[plan]]"),
            ("[[plan]]\nslug = \"a\"\nhosts = []", "lists no hosts"),
            ("[[plan]]\nslug = \"A b\"\nhosts = [\"a\"]", "lower-case"),
            (
                "[[plan]]\nslug = \"a\"\nhosts = [\"a:3000\"]",
                "without a scheme or port",
            ),
            (
                "[[plan]]\nslug = \"a\"\nhosts = [\"x\"]\n[[plan]]\nslug = \"a\"\nhosts = [\"y\"]",
                "two plans have the slug",
            ),
            (
                "[[plan]]\nslug = \"a\"\nhosts = [\"x\"]\n[[plan]]\nslug = \"b\"\nhosts = [\"X\"]",
                "listed for two plans",
            ),
            (
                "[[plan]]\nslug = \"a\"\nhosts = [\"x\"]\ncolour = 1",
                "unknown field",
            ),
        ] {
            let error = parsed(text).expect_err(text);
            assert!(error.contains(reason), "{text}: {error}");
        }
    }

    #[test]
    fn the_host_is_read_without_its_port_and_in_lower_case() {
        for (host, expected) in [
            ("JSP.Harbourside.gov.uk:3000", "jsp.harbourside.gov.uk"),
            ("localhost", "localhost"),
            ("[::1]:3000", "[::1]"),
            ("[::1]", "[::1]"),
        ] {
            let request = Request::builder()
                .header(header::HOST, host)
                .body(axum::body::Body::empty())
                .expect("a request");
            assert_eq!(host_of(&request), expected);
        }
    }
}
