//! The app's pages as an enum: views link with `Page::Villages.path()`, never with a literal.

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Villages,
    Login,
    Account,
    Users,
    Audit,
    Organizations,
    ImportOrganizations,
    Matters,
    NewMatter,
    Lookup,
    Rounds,
    MyPairings,
    Contributions,
    ContributionDuplicates,
}

impl Page {
    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Villages => "/villages",
            Page::Login => "/login",
            Page::Account => "/account",
            Page::Users => "/admin/users",
            Page::Audit => "/admin/audit",
            Page::Organizations => "/organizations",
            Page::ImportOrganizations => "/organizations/import",
            Page::Matters => "/matters",
            Page::NewMatter => "/matters/new",
            Page::Lookup => "/lookup",
            Page::Rounds => "/rounds",
            Page::MyPairings => "/my/pairings",
            Page::Contributions => "/contributions",
            Page::ContributionDuplicates => "/contributions/duplicates",
        }
    }

    /// One organization's record.
    pub fn organization(id: i64) -> String {
        format!("/organizations/{id}")
    }

    /// One registration matter.
    pub fn matter(id: i64) -> String {
        format!("/matters/{id}")
    }

    /// One ledger entry.
    pub fn contribution(id: i64) -> String {
        format!("/contributions/{id}")
    }

    /// The path with a query string.
    pub fn with_query<Q: serde::Serialize>(self, query: &Q) -> String {
        with_query(self.path(), query)
    }
}

/// The page of one 百社进百村 round.
pub fn round_path(id: i64) -> String {
    format!("{}/{id}", Page::Rounds.path())
}

/// The page of one village (12-digit code): its facts and the societies paired with it.
pub fn village_path(code: &str) -> String {
    format!("{}/{code}", Page::Villages.path())
}

/// `path?query` from a serializable query (`None` fields left out), or just `path` if nothing is set.
pub fn with_query<Q: serde::Serialize>(path: &str, query: &Q) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(qs) if !qs.is_empty() => format!("{path}?{qs}"),
        _ => path.to_owned(),
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
