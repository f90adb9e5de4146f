//! One village's page, open to everyone: its facts (name, kind, township, county, city, code) and the
//! societies paired with it in 百社进百村, with each agreement's status and dates.

use domain::api::Agreement;
use domain::pairing::round::AgreementStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};
use crate::routes::Page;

#[component]
pub fn VillagePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let village = LocalResource::new(move || {
        let code = code.get();
        async move { api::find_village(&code).await }
    });
    let societies = LocalResource::new(move || {
        let code = code.get();
        async move { api::list_village_societies(&code).await }
    });
    view! {
        <section class="page" data-testid="village-page">
            <p><a href=Page::Villages.path()>{move || i18n.t("pairing.village.back")}</a></p>
            <Async resource=village let:v>
                {
                    let kind = v.kind;
                    view! {
                        <h1>{v.name.clone()}</h1>
                        <dl class="facts" data-testid="village-facts">
                            <dt>{move || i18n.t("villages.col.kind")}</dt>
                            <dd>{move || i18n.label(kind)}</dd>
                            <dt>{move || i18n.t("villages.col.township")}</dt>
                            <dd>{v.township_name.clone()}</dd>
                            <dt>{move || i18n.t("villages.col.county")}</dt>
                            <dd>{format!("{} {}", v.city_name, v.county_name)}</dd>
                            <dt>{move || i18n.t("villages.col.code")}</dt>
                            <dd><code>{v.code.clone()}</code></dd>
                        </dl>
                    }
                }
            </Async>
            <h2>{move || i18n.t("pairing.village.societies")}</h2>
            <Async resource=societies let:value>
                {match value {
                    list if list.is_empty() => view! {
                        <p class="hint" data-testid="village-no-societies">{move || i18n.t("pairing.village.none")}</p>
                    }.into_any(),
                    list => view! {
                        <ul class="record-list" data-testid="village-societies">
                            {list.into_iter().map(society_row).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Async>
            <p class="hint">{move || i18n.t("pairing.village.public_hint")}</p>
        </section>
    }
}

fn society_row(a: Agreement) -> impl IntoView {
    let i18n = use_i18n();
    let (status, badge) = (a.status, agreement_badge(a.status));
    let dates = {
        let a = a.clone();
        move || agreement_dates(i18n, &a)
    };
    view! {
        <li class="record">
            <div class="record__head">
                <strong>{a.organization_name.clone()}</strong>
                <span class=badge>{move || i18n.label(status)}</span>
            </div>
            <div class="record__meta">
                <span>{a.round_name.clone()}</span>
                <span>{dates}</span>
            </div>
        </li>
    }
}

/// The badge class of an agreement's status.
pub fn agreement_badge(status: AgreementStatus) -> &'static str {
    match status {
        AgreementStatus::Active => "badge badge--ok",
        AgreementStatus::Concluded => "badge",
    }
}

/// 帮扶期 start — end, and the day it was concluded once it is.
pub fn agreement_dates(i18n: I18n, a: &Agreement) -> String {
    let term = i18n.t_with(
        "pairing.agreement.term",
        &[
            ("start", a.start_date.to_string()),
            ("end", a.end_date.to_string()),
        ],
    );
    match a.concluded_on {
        Some(day) => format!(
            "{term} · {}",
            i18n.t_with("pairing.agreement.concluded_on", &[("date", day.to_string())])
        ),
        None => term,
    }
}
