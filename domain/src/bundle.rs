//! Which of the browser app's two bundles a page belongs to.
//!
//! A visitor's first page should be small, so the app is built twice from one source: the *public* bundle
//! holds the pages anyone may open (home, villages, the public lookup, sign-in) and the *workspace* bundle
//! holds every page. The server answers a public page without a session cookie with the public bundle and
//! everything else with the workspace bundle; the public bundle, asked for any other page, loads it in full
//! from the server. Both sides read this one list, so they cannot disagree on where a page lives.

/// The bundle that serves a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Pages anyone may open: small, for a first visit.
    Public,
    /// Every page, for signed-in users.
    Workspace,
}

/// The paths the public bundle serves, each exactly or with one more segment (`/villages/340102001`).
const PUBLIC_PAGES: [(&str, bool); 4] = [
    ("/", false),
    ("/login", false),
    ("/lookup", false),
    ("/villages", true),
];

/// The bundle for the page at `path` (a URL path without query or fragment).
pub fn bundle_for(path: &str) -> Bundle {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    let public = PUBLIC_PAGES.iter().any(|&(page, with_child)| {
        path == page
            || (with_child
                && path
                    .strip_prefix(page)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|child| !child.is_empty() && !child.contains('/')))
    });
    if public { Bundle::Public } else { Bundle::Workspace }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_pages_are_in_the_public_bundle() {
        for path in [
            "/",
            "/login",
            "/lookup",
            "/villages",
            "/villages/",
            "/villages/340102001001",
        ] {
            assert_eq!(bundle_for(path), Bundle::Public, "{path}");
        }
    }

    #[test]
    fn every_other_page_is_in_the_workspace_bundle() {
        for path in [
            "/organizations",
            "/organizations/12",
            "/login/extra",
            "/lookups",
            "/villages/1/2",
            "/villagesx",
            "/admin/users",
            "/account",
            "",
        ] {
            assert_eq!(bundle_for(path), Bundle::Workspace, "{path}");
        }
    }
}
