//! An organization's standing on its profile: its annual reports year by year (stage and verdict, each a
//! link to the report) and the credit listings that stand now (each a link to the listing and its notice).

use domain::api::{ListingQuery, ReportQuery};
use domain::paging::MAX_PER_PAGE;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::pages::inspection::report_badges;
use crate::routes::Page;

#[component]
pub(super) fn OrganizationStanding(organization_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let reports = LocalResource::new(move || {
        let query = ReportQuery {
            organization_id: Some(organization_id),
            per_page: Some(MAX_PER_PAGE),
            ..Default::default()
        };
        async move { api::list_reports(&query).await }
    });
    let listings = LocalResource::new(move || {
        let query = ListingQuery {
            organization_id: Some(organization_id),
            ..Default::default()
        };
        async move { api::list_listings(&query).await }
    });
    view! {
        <h2>{move || i18n.t("inspection.profile_title")}</h2>
        <Async resource=reports let:page>
            {if page.items.is_empty() {
                view! { <p class="notice">{move || i18n.t("inspection.profile_none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="timeline" data-testid="organization-reports">
                        {page.items.iter().map(|r| {
                            let year = r.year;
                            view! {
                                <li>
                                    <a href=Page::report(r.id)>{move || i18n.t_with("inspection.year_title", &[("year", year.to_string())])}</a>
                                    " "{report_badges(i18n, r)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Async>
        <h2>{move || i18n.t("credit.profile_title")}</h2>
        <Async resource=listings let:page>
            {if page.items.is_empty() {
                view! { <p class="notice notice--ok" data-testid="organization-no-listings">{move || i18n.t("credit.profile_none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="timeline" data-testid="organization-listings">
                        {page.items.into_iter().map(|l| {
                            let (list, reason) = (l.list, l.reason);
                            view! {
                                <li>
                                    <a href=Page::listing(l.id)><strong>{move || i18n.label(list)}</strong></a>
                                    " "{move || i18n.label(reason)}" · "{l.decided_on.to_string()}" · "{l.notice_number.clone()}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Async>
    }
}
