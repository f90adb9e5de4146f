//! The browser app's pages, and which of its three bundles serves each.
//!
//! Views link with `Page::Villages.path()`, never with a literal, and the router matches the same paths,
//! so each path is written once, here.
//!
//! Each audience should download only the pages it uses, so the app is built three times from one source,
//! each bundle holding the one before: the *public* bundle holds the pages anyone may open (home, villages,
//! the public lookup, sign-in); the *organization* bundle adds the pages an organization user works in
//! (the report form and the ledger, the organization's record and annual reports, credit listings and
//! objections, the account); the *workspace* bundle holds every page, for staff. The server answers each
//! page with the smallest bundle that holds it for who asks ([`bundle_for`]); a bundle asked for a page it
//! does not hold loads it in full from the server. The server and the bundles read this one table, so they
//! cannot disagree on where a page lives.

use crate::policy::Role;

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

    /// The pages of the public bundle, each with its detail pages (`/villages/:code`).
    pub const PUBLIC: [Page; 4] = [Page::Home, Page::Villages, Page::Login, Page::Lookup];

    /// The pages the organization bundle adds, each with its detail pages (`/contributions/:id`): what an
    /// organization user works in. The rest (pairing rounds, registration matters, party building, jobs,
    /// every staff page) comes with the workspace bundle.
    pub const ORGANIZATION: [Page; 6] = [
        Page::Account,
        Page::Organizations,
        Page::Contributions,
        Page::Inspection,
        Page::CreditListings,
        Page::MyPairings,
    ];

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

    /// Whether the page's detail pages (`/villages/:code`, one more segment) come with it in the smaller
    /// bundles.
    fn has_details(self) -> bool {
        matches!(
            self,
            Page::Villages
                | Page::Organizations
                | Page::Contributions
                | Page::Inspection
                | Page::CreditListings
        )
    }

    /// The smallest bundle that holds the page.
    pub fn bundle(self) -> Bundle {
        if Page::PUBLIC.contains(&self) {
            Bundle::Public
        } else if Page::ORGANIZATION.contains(&self) {
            Bundle::Organization
        } else {
            Bundle::Workspace
        }
    }

    /// The path with a query string from a serializable query (`None` fields left out).
    pub fn with_query<Q: serde::Serialize>(self, query: &Q) -> String {
        with_query(self.path(), query)
    }

    /// The records behind a dashboard figure: the API path's query (`/api/v1/dashboard/records?key=…`)
    /// on the staff app's records page.
    pub fn dashboard_records(records: &str) -> Option<String> {
        let query = records.split_once('?')?.1;
        Some(format!("{}?{query}", Page::DashboardRecords.path()))
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

/// A build of the app, smallest first: each holds every page of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bundle {
    /// Pages anyone may open: small, for a first visit.
    Public,
    /// The pages an organization user works in, and the public ones.
    Organization,
    /// Every page, for staff.
    Workspace,
}

impl Bundle {
    /// Whether this bundle routes the page at `path` (a URL path without query or fragment).
    pub fn holds(self, path: &str) -> bool {
        smallest_bundle(path) <= self
    }
}

/// Who asks for a page, by the role of their session: what decides the bundle a page comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Nobody signed in.
    Visitor,
    /// An organization user.
    Organization,
    /// Staff and party-building instructors: everyone else who signs in.
    Staff,
}

impl Audience {
    /// The audience of a session's role (`None`: no session).
    pub fn of(role: Option<Role>) -> Audience {
        match role {
            None => Audience::Visitor,
            Some(Role::OrgUser) => Audience::Organization,
            Some(_) => Audience::Staff,
        }
    }

    /// The bundle this audience gets for the pages it holds.
    fn bundle(self) -> Bundle {
        match self {
            Audience::Visitor => Bundle::Public,
            Audience::Organization => Bundle::Organization,
            Audience::Staff => Bundle::Workspace,
        }
    }
}

/// The bundle the server answers the page at `path` with for `audience`: the audience's own bundle when
/// it holds the page, else the workspace bundle (every page; a path no bundle knows is its "not found").
pub fn bundle_for(path: &str, audience: Audience) -> Bundle {
    let own = audience.bundle();
    if own.holds(path) { own } else { Bundle::Workspace }
}

/// The smallest bundle that holds the page at `path`: a page's own path, or one more segment under a page
/// with detail pages (`/contributions/12`, but `/contributions/duplicates` is a page of its own).
fn smallest_bundle(path: &str) -> Bundle {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    if let Some(page) = Page::ALL.into_iter().find(|page| page.path() == path) {
        return page.bundle();
    }
    Page::ALL
        .into_iter()
        .filter(|page| page.has_details())
        .find(|page| {
            path.strip_prefix(page.path())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|child| !child.is_empty() && !child.contains('/'))
        })
        .map_or(Bundle::Workspace, Page::bundle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISITOR: Audience = Audience::Visitor;
    const ORGANIZATION: Audience = Audience::Organization;
    const STAFF: Audience = Audience::Staff;

    #[test]
    fn a_visitor_gets_public_pages_in_the_public_bundle() {
        for path in [
            "/",
            "/login",
            "/lookup",
            "/villages",
            "/villages/",
            "/villages/340102001001",
        ] {
            assert_eq!(bundle_for(path, VISITOR), Bundle::Public, "{path}");
        }
    }

    #[test]
    fn a_visitor_gets_every_other_page_in_the_workspace_bundle() {
        for path in [
            "/organizations",
            "/organizations/12",
            "/login/extra",
            "/lookups",
            "/villages/1/2",
            "/villagesx",
            "/admin/users",
            "/account",
            "/results",
            "",
        ] {
            assert_eq!(bundle_for(path, VISITOR), Bundle::Workspace, "{path}");
        }
    }

    #[test]
    fn an_organization_user_reports_and_reads_its_own_record_in_the_organization_bundle() {
        for path in [
            "/",
            "/villages/340102001001",
            "/account",
            "/contributions",
            "/contributions/7",
            "/organizations",
            "/organizations/3",
            "/inspection",
            "/inspection/5",
            "/credit-listings",
            "/credit-listings/2",
            "/my/pairings",
        ] {
            assert_eq!(bundle_for(path, ORGANIZATION), Bundle::Organization, "{path}");
        }
        // Pages of their own that sit beside the organization bundle's detail pages are staff pages.
        for path in [
            "/contributions/duplicates",
            "/organizations/import",
            "/inspection/cycles",
            "/rounds",
            "/matters/4",
            "/admin/users",
            "/nowhere",
        ] {
            assert_eq!(bundle_for(path, ORGANIZATION), Bundle::Workspace, "{path}");
        }
    }

    #[test]
    fn staff_get_every_page_in_the_workspace_bundle() {
        for page in Page::ALL {
            assert_eq!(bundle_for(page.path(), STAFF), Bundle::Workspace, "{page:?}");
        }
    }

    /// The server picks the bundle by path and audience; each bundle routes the pages it holds: the
    /// bundle a page is served with always holds it, so a bundle never reloads into itself.
    #[test]
    fn every_page_is_served_by_a_bundle_that_holds_it() {
        let mut paths: Vec<String> = Page::ALL.iter().map(|page| page.path().to_owned()).collect();
        paths.extend([
            village_path("340102001001"),
            Page::organization(1),
            Page::contribution(2),
        ]);
        paths.extend(["/nowhere".to_owned(), "/fees/draws/3".to_owned()]);
        for path in &paths {
            for audience in [VISITOR, ORGANIZATION, STAFF] {
                assert!(bundle_for(path, audience).holds(path), "{path} for {audience:?}");
            }
        }
        for page in Page::ALL {
            assert_eq!(smallest_bundle(page.path()), page.bundle(), "{page:?}");
        }
        assert!(Bundle::Workspace.holds("/nowhere"));
        assert!(!Bundle::Organization.holds("/nowhere"));
    }

    #[test]
    fn each_role_has_its_audience() {
        assert_eq!(Audience::of(None), VISITOR);
        assert_eq!(Audience::of(Some(Role::OrgUser)), ORGANIZATION);
        for role in [Role::BureauAdmin, Role::LocalStaff, Role::Instructor] {
            assert_eq!(Audience::of(Some(role)), STAFF, "{role:?}");
        }
    }

    #[test]
    fn a_figure_opens_its_records_page_with_the_same_query() {
        assert_eq!(
            Page::dashboard_records("/api/v1/dashboard/records?key=supervision.dormant_identified&year=2021")
                .as_deref(),
            Some("/dashboard/records?key=supervision.dormant_identified&year=2021")
        );
    }

    #[test]
    fn a_query_is_appended_only_when_something_is_set() {
        #[derive(serde::Serialize)]
        struct Filter {
            q: Option<&'static str>,
            page: Option<u32>,
        }
        assert_eq!(
            Page::Villages.with_query(&Filter { q: None, page: None }),
            "/villages"
        );
        assert_eq!(
            with_query(
                "/organizations",
                &Filter {
                    q: Some("合肥"),
                    page: Some(2)
                }
            ),
            "/organizations?q=%E5%90%88%E8%82%A5&page=2"
        );
    }
}
