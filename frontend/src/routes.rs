//! The app's pages (`domain::pages`, shared with the server) as routes: the route tree in `lib.rs` matches
//! the paths that views link to (`Page::Villages.path()`), so each path is written once.

use std::borrow::Cow;

use leptos_router::{PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment};

use domain::pages::{Audience, Bundle, bundle_for};
pub use domain::pages::{Page, round_path, village_path, with_query};
use domain::policy::Role;

/// The bundle of `domain::pages` this build of the app is (the crate's features).
pub const BUNDLE: Bundle = if cfg!(feature = "workspace") {
    Bundle::Workspace
} else if cfg!(feature = "organization") {
    Bundle::Organization
} else {
    Bundle::Public
};

/// How a link goes to `path`: within the app when this bundle holds the page, else `rel="external"`, which
/// the router leaves to the browser: a full page load, answered by the server with the bundle that holds it.
pub fn link_rel(path: &str) -> Option<&'static str> {
    (!BUNDLE.holds(path)).then_some("external")
}

/// Whether the page at `path` opens within this app for a user of `role`: the server would answer it with
/// this same bundle. Otherwise (after signing in, say) the page is loaded in full.
pub fn opens_here(path: &str, role: Option<Role>) -> bool {
    bundle_for(path, Audience::of(role)) == BUNDLE
}

/// A page as a route of the router (`Page::Villages.route()`).
pub trait Routed {
    fn route(self) -> PagePath;
}

impl Routed for Page {
    fn route(self) -> PagePath {
        PagePath(self)
    }
}

/// A page's path as a route segment: matches each of the path's static segments in turn, so that the route
/// tree in `lib.rs` reads the paths declared by [`Page::path`] instead of repeating them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePath(pub Page);

impl PagePath {
    fn segments(self) -> impl Iterator<Item = &'static str> {
        self.0.path().split('/').filter(|segment| !segment.is_empty())
    }
}

impl PossibleRouteMatch for PagePath {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let mut remaining = path;
        for segment in self.segments() {
            remaining = StaticSegment(segment).test(remaining)?.remaining();
        }
        let matched = &path[..path.len() - remaining.len()];
        Some(PartialPathMatch::new(remaining, Vec::new(), matched))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        path.extend(
            self.segments()
                .map(|segment| PathSegment::Static(Cow::Borrowed(segment))),
        );
    }
}

/// A list page's filters, held in the URL query (`?q=…&role=…&page=2`) so that back, forward and reload keep
/// them: the current filter, read from the URL, and the way to change it (a navigation to the same page).
#[cfg(feature = "organization")]
pub fn use_url_query<Q>() -> (leptos::prelude::Memo<Q>, leptos::prelude::Callback<Q>)
where
    Q: serde::Serialize + serde::de::DeserializeOwned + Default + Clone + PartialEq + Send + Sync + 'static,
{
    use leptos::prelude::*;
    let location = leptos_router::hooks::use_location();
    let query = Memo::new(move |_| {
        location.search.with(|search| {
            serde_urlencoded::from_str::<Q>(search.trim_start_matches('?')).unwrap_or_default()
        })
    });
    let navigate = leptos_router::hooks::use_navigate();
    let apply = Callback::new(move |next: Q| {
        navigate(
            &with_query(&location.pathname.get_untracked(), &next),
            Default::default(),
        );
    });
    (query, apply)
}

/// Where a new case comes from, carried in the URL of the list page whose form files it
/// (`/illegal?petition=3`, `/penalties?petition=3&organization=7`, `/illegal?organization=7`): the form
/// opens prefilled from the petition or the organization.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RaisedFrom {
    pub petition: Option<i64>,
    pub organization: Option<i64>,
}

impl RaisedFrom {
    /// Whether the URL names anything to prefill from.
    pub fn is_some(&self) -> bool {
        self.petition.is_some() || self.organization.is_some()
    }
}

/// The path of the API reference page served by the server (outside the app).
pub const API_DOCS_PATH: &str = "/api/docs";

/// The trimmed text of a form field or query parameter, or `None` when it is blank.
pub fn non_empty(value: String) -> Option<String> {
    let value = value.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

/// The numeric `:id` of the current route (0 when missing or malformed, which the API answers with 404).
pub fn use_id_param() -> leptos::prelude::Memo<i64> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    })
}
