//! A schematic SVG map of Anhui's cities with a proposal's pairs drawn as lines, priority villages marked.
//! The outlines are projected at build time (`build.rs`); the map is labelled 示意图 as it is not a survey map.

use domain::api::ProposedPair;
use leptos::prelude::*;
use serde::Deserialize;

use crate::i18n::use_i18n;

#[derive(Debug, Clone, Deserialize)]
struct City {
    name: String,
    path: String,
    x: f64,
    y: f64,
}

/// The same projection as `build.rs`: equirectangular, longitude scaled by cos(31.9°).
fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon - 114.8) * 81.2, (34.74 - lat) * 95.7)
}

fn cities() -> Vec<City> {
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/cities.json"))).unwrap_or_default()
}

#[component]
pub fn PairingMap(
    pairs: Vec<ProposedPair>,
    #[prop(into)] on_select: Callback<ProposedPair>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outlines = cities()
        .into_iter()
        .map(|c| {
            view! {
                <path d=c.path class="map__city" />
                <text x=c.x y=c.y class="map__label">{c.name}</text>
            }
        })
        .collect_view();
    let lines = pairs
        .into_iter()
        .map(|p| {
            let (x1, y1) = project(p.society_lon, p.society_lat);
            let (x2, y2) = project(p.village_lon, p.village_lat);
            let class = if p.priority {
                "map__village map__village--priority"
            } else {
                "map__village"
            };
            let title = format!("{} — {}（{}）", p.organization_name, p.village_name, p.score);
            let chosen = p.clone();
            view! {
                <g class="map__pair" on:click=move |_| on_select.run(chosen.clone())>
                    <title>{title}</title>
                    <line x1=x1 y1=y1 x2=x2 y2=y2 class="map__line" />
                    // A wide transparent stroke: a finger can pick a pair on a phone.
                    <line x1=x1 y1=y1 x2=x2 y2=y2 class="map__hit" />
                    <circle cx=x1 cy=y1 r="3" class="map__society" />
                    <circle cx=x2 cy=y2 r=if p.priority { "3.5" } else { "2" } class=class />
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="pairing-map" data-testid="pairing-map">
            <svg viewBox="0 0 400 494" role="img" aria-label=move || i18n.t("pairing.map_label")>
                {outlines}
                {lines}
                <text x="8" y="486" class="map__badge">"示意图"</text>
            </svg>
            <figcaption>{move || i18n.t("pairing.map_caption")}</figcaption>
        </figure>
    }
}
