//! The app's pages as an enum: views link with `Page::Villages.path()`, never with a literal, and the router
//! matches the same paths (`PagePath`), so each path is written once, here.

use std::borrow::Cow;

use leptos_router::{PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment};

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
    Jobs,
    Inspection,
    InspectionCycles,
    CreditListings,
    CreditLists,
    Dormant,
    Party,
    PartyOrganizations,
    PartyBatches,
    PartyWorkspace,
    FeeCampaigns,
    NewFeeCampaign,
    FeeInspections,
    Publication,
    PublicationOnTime,
    ReportIllegal,
    PublicIllegal,
    OnlinePetition,
    PetitionProgress,
    IllegalCases,
    IllegalBatches,
    Petitions,
    Penalties,
    Dashboard,
    DashboardRecords,
    AnnualReport,
    PublicResults,
}

impl Page {
    /// Every page.
    pub const ALL: [Page; 42] = [
        Page::Home,
        Page::Villages,
        Page::Login,
        Page::Account,
        Page::Users,
        Page::Audit,
        Page::Organizations,
        Page::ImportOrganizations,
        Page::Matters,
        Page::NewMatter,
        Page::Lookup,
        Page::Rounds,
        Page::MyPairings,
        Page::Contributions,
        Page::ContributionDuplicates,
        Page::Jobs,
        Page::Inspection,
        Page::InspectionCycles,
        Page::CreditListings,
        Page::CreditLists,
        Page::Dormant,
        Page::Party,
        Page::PartyOrganizations,
        Page::PartyBatches,
        Page::PartyWorkspace,
        Page::FeeCampaigns,
        Page::NewFeeCampaign,
        Page::FeeInspections,
        Page::Publication,
        Page::PublicationOnTime,
        Page::ReportIllegal,
        Page::PublicIllegal,
        Page::OnlinePetition,
        Page::PetitionProgress,
        Page::IllegalCases,
        Page::IllegalBatches,
        Page::Petitions,
        Page::Penalties,
        Page::Dashboard,
        Page::DashboardRecords,
        Page::AnnualReport,
        Page::PublicResults,
    ];

    /// The pages of the public bundle (`domain::bundle`), each with its detail pages (`/villages/:code`).
    pub const PUBLIC: [Page; 4] = [Page::Home, Page::Villages, Page::Login, Page::Lookup];

    /// The page's path as a route (see [`PagePath`]).
    pub fn route(self) -> PagePath {
        PagePath(self)
    }

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
            Page::Jobs => "/jobs",
            Page::Inspection => "/inspection",
            Page::InspectionCycles => "/inspection/cycles",
            Page::CreditListings => "/credit-listings",
            Page::CreditLists => "/credit-lists",
            Page::Dormant => "/dormant",
            Page::Party => "/party",
            Page::PartyOrganizations => "/party/organizations",
            Page::PartyBatches => "/party/batches",
            Page::PartyWorkspace => "/party/workspace",
            Page::FeeCampaigns => "/fees",
            Page::NewFeeCampaign => "/fees/new",
            Page::FeeInspections => "/fees/inspections",
            Page::Publication => "/publication",
            Page::PublicationOnTime => "/publication/on-time",
            // The public side of enforcement needs no account but lives in the workspace bundle.
            Page::ReportIllegal => "/illegal-organizations/report",
            Page::PublicIllegal => "/illegal-organizations",
            Page::OnlinePetition => "/petition",
            Page::PetitionProgress => "/petition/progress",
            Page::IllegalCases => "/illegal",
            Page::IllegalBatches => "/illegal/batches",
            Page::Petitions => "/petitions",
            Page::Penalties => "/penalties",
            Page::Dashboard => "/dashboard",
            Page::DashboardRecords => "/dashboard/records",
            Page::AnnualReport => "/reports/annual",
            // The year's public headline figures: no account needed, in the workspace bundle.
            Page::PublicResults => "/results",
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

    /// One annual report.
    pub fn report(id: i64) -> String {
        format!("/inspection/{id}")
    }

    /// One credit listing with its notice.
    pub fn listing(id: i64) -> String {
        format!("/credit-listings/{id}")
    }

    /// One dormant-organization case.
    pub fn dormant_case(id: i64) -> String {
        format!("/dormant/{id}")
    }

    /// One organization's party record.
    pub fn party_organization(id: i64) -> String {
        format!("/party/organizations/{id}")
    }

    /// One batch of party-building instructors.
    pub fn party_batch(id: i64) -> String {
        format!("/party/batches/{id}")
    }

    /// One fee-inspection campaign.
    pub fn fee_campaign(id: i64) -> String {
        format!("/fees/{id}")
    }

    /// One fee inspection.
    pub fn fee_inspection(id: i64) -> String {
        format!("/fees/inspections/{id}")
    }

    /// A campaign's published draw, which anyone may read (in the workspace bundle).
    pub fn fee_draw(id: i64) -> String {
        format!("/fees/draws/{id}")
    }

    /// One publication item (双公示).
    pub fn publication(id: i64) -> String {
        format!("/publication/{id}")
    }

    /// One illegal-organization clue or case.
    pub fn illegal_case(id: i64) -> String {
        format!("/illegal/{id}")
    }

    /// One petition.
    pub fn petition(id: i64) -> String {
        format!("/petitions/{id}")
    }

    /// One penalty case.
    pub fn penalty(id: i64) -> String {
        format!("/penalties/{id}")
    }

    /// The path with a query string.
    pub fn with_query<Q: serde::Serialize>(self, query: &Q) -> String {
        with_query(self.path(), query)
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

/// A list page's filters, held in the URL query (`?q=…&role=…&page=2`) so that back, forward and reload keep
/// them: the current filter, read from the URL, and the way to change it (a navigation to the same page).
#[cfg(feature = "workspace")]
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

#[cfg(test)]
mod tests {
    use domain::bundle::{Bundle, bundle_for};

    use super::*;

    /// The server picks the bundle by `domain::bundle`; the public bundle routes `Page::PUBLIC`: they agree.
    #[test]
    fn every_page_is_routed_by_the_bundle_the_server_sends_for_it() {
        for page in Page::ALL {
            let public = Page::PUBLIC.contains(&page);
            let expected = if public { Bundle::Public } else { Bundle::Workspace };
            assert_eq!(bundle_for(page.path()), expected, "{page:?}");
        }
        assert_eq!(bundle_for(&village_path("340102001001")), Bundle::Public);
        assert_eq!(bundle_for(&Page::organization(1)), Bundle::Workspace);
    }

    #[test]
    fn a_page_path_matches_its_path_only() {
        let users = PagePath(Page::Users);
        assert!(users.test("/admin/users").is_some_and(|m| m.is_complete()));
        assert!(users.test("/admin/usersx").is_none());
        assert!(users.test("/admin").is_none());
        let villages = PagePath(Page::Villages);
        assert_eq!(
            villages.test("/villages/340102001001").map(|m| m.remaining()),
            Some("/340102001001")
        );
        assert!(PagePath(Page::Home).test("/").is_some_and(|m| m.is_complete()));
    }
}
