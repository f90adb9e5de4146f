//! One figure as a card: its value, the year before with the change, a two-bar chart (SVG) and its
//! definition; on the staff dashboard the card opens the records behind the figure.

use domain::api::Figure;
use domain::dashboard::{Unit, change_percent};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{I18n, Lang, use_i18n};
use crate::routes::Page;

/// `较上年 +20%`, `较上年 −5%`, or the year before's value when it had none.
fn change(i18n: I18n, figure: &Figure) -> String {
    let previous = figure.unit.show(figure.previous, None);
    match (figure.unit, change_percent(figure.value, figure.previous)) {
        (Unit::Percent, _) | (_, None) => i18n.t_with("dashboard.previous", &[("value", previous)]),
        (_, Some(p)) => {
            let sign = if p > 0 {
                "+"
            } else if p < 0 {
                "−"
            } else {
                "±"
            };
            i18n.t_with(
                "dashboard.change",
                &[("change", format!("{sign}{}%", p.abs())), ("value", previous)],
            )
        }
    }
}

/// Two bars, the year before and this year, scaled to the larger.
fn bars(previous: i64, value: i64) -> impl IntoView {
    let top = previous.max(value).max(1) as f64;
    let width = |v: i64| format!("{:.1}", (v.max(0) as f64 / top) * 100.0);
    view! {
        <svg class="figure-card__bars" viewBox="0 0 100 14" preserveAspectRatio="none" aria-hidden="true">
            <rect class="bar bar--previous" x="0" y="1" height="5" width=width(previous) />
            <rect class="bar bar--current" x="0" y="8" height="5" width=width(value) />
        </svg>
    }
}

#[component]
pub(crate) fn FigureCard(figure: Figure, linked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let key = figure.key;
    let value = figure.unit.show(figure.value, figure.denominator);
    let change = {
        let figure = figure.clone();
        move || change(i18n, &figure)
    };
    let share = figure.numerator.zip(figure.denominator).map(|(n, d)| {
        i18n.t_with(
            "dashboard.share",
            &[("numerator", n.to_string()), ("denominator", d.to_string())],
        )
    });
    let definition = move || match i18n.lang() {
        Lang::ZhCn => key.definition_zh(),
        Lang::En => key.definition_en(),
    };
    let class = if figure.part_of.is_some() {
        "figure-card figure-card--part"
    } else {
        "figure-card"
    };
    let body = view! {
        <span class="figure-card__label">{move || i18n.label(key)}</span>
        <strong class="figure-card__value" data-testid="figure-value">{value}</strong>
        <span class="figure-card__change">{change}</span>
        {share.map(|s| view! { <span class="figure-card__change">{s}</span> })}
        {bars(figure.previous, figure.value)}
    };
    let link = figure
        .records
        .as_deref()
        .filter(|_| linked)
        .and_then(Page::dashboard_records);
    view! {
        <li class=class data-testid=format!("figure-{}", key.key())>
            {match link {
                Some(href) => view! { <A href=href attr:class="figure-card__link">{body}</A> }.into_any(),
                None => view! { <div class="figure-card__link">{body}</div> }.into_any(),
            }}
            <details class="figure-card__definition">
                <summary>{move || i18n.t("dashboard.definition")}</summary>
                <p>{definition}</p>
            </details>
        </li>
    }
}
