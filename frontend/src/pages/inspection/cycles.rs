//! The annual cycles: each year the bureau opened, its deadline, levels and division, and whether the
//! deadline's rule has run; the bureau opens the next year here (the year past, the deadline not).

use chrono::Datelike;
use domain::api::{CycleInput, InspectionCycle};
use domain::division::PROVINCE_CODE;
use domain::policy::{BUREAU_ONLY, STAFF};
use domain::registry::organization::Level;
use leptos::prelude::*;

use crate::api;
use crate::components::field::field_error;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::Page;
use crate::session::use_session;

#[component]
pub fn CyclesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let cycles = LocalResource::new(api::list_cycles);
    let on_opened = Callback::new(move |()| cycles.refetch());
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Inspection.path()>{move || i18n.t("inspection.back")}</a></p>
                <h1>{move || i18n.t("inspection.cycles_title")}</h1>
                {move || session.has_role_untracked(BUREAU_ONLY).then(|| view! { <OpenCycle on_opened /> })}
                <Async resource=cycles let:cycles>
                    <ul class="record-list" data-testid="cycles">
                        {cycles.into_iter().map(cycle_record).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}

fn cycle_record(cycle: InspectionCycle) -> impl IntoView {
    let i18n = use_i18n();
    let year = cycle.year;
    let levels = cycle.levels.clone();
    let state = match cycle.closed_on {
        Some(on) => view! { <span class="badge">{move || i18n.t_with("inspection.closed_on", &[("date", on.to_string())])}</span> }.into_any(),
        None => view! { <span class="badge badge--ok">{move || i18n.t("inspection.cycle_open")}</span> }.into_any(),
    };
    let reports = Page::Inspection.with_query(&[("year", year)]);
    view! {
        <li class="record">
            <div class="record__head">
                <a href=reports><strong>{move || i18n.t_with("inspection.year_title", &[("year", year.to_string())])}</strong></a>
                {state}
            </div>
            <div class="record__meta">
                <span>{move || i18n.t_with("inspection.deadline_on", &[("date", cycle.deadline.to_string())])}</span>
                <span>{move || i18n.labels(&levels)}</span>
                <span>{cycle.division_code.clone()}</span>
            </div>
        </li>
    }
}

/// The bureau opens a year: checked as the server checks it before it is sent.
#[component]
fn OpenCycle(on_opened: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let today = crate::format::today();
    let year = RwSignal::new((today.year() - 1).to_string());
    let deadline = RwSignal::new(String::new());
    let levels = RwSignal::new(Vec::<Level>::new());
    let division = RwSignal::new(PROVINCE_CODE.to_owned());
    let divisions = LocalResource::new(api::list_divisions);
    let input = move || {
        Some(CycleInput {
            year: year.get().trim().parse().ok()?,
            deadline: deadline.get().parse().ok()?,
            levels: levels.get(),
            division_code: division.get(),
        })
    };
    let problems = Memo::new(move |_| match input() {
        Some(input) => input.validate(crate::format::today()).err().unwrap_or_default(),
        None => Vec::new(),
    });
    let error_of = move |field: &'static str| {
        field_error(move || {
            problems.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()))
        })
    };
    let open = Action::new_local(move |body: &CycleInput| {
        let body = body.clone();
        async move { api::open_cycle(&body).await }
    });
    Effect::new(move |_| {
        if matches!(open.value().get(), Some(Ok(_))) {
            on_opened.run(());
        }
    });
    view! {
        <details class="fold" data-testid="open-cycle">
            <summary>{move || i18n.t("inspection.open_cycle")}</summary>
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(body) = untrack(input).filter(|_| problems.get_untracked().is_empty()) {
                    open.dispatch(body);
                }
            }>
                <label class="field">
                    <span>{move || i18n.t("inspection.year")}</span>
                    <input name="year" inputmode="numeric" prop:value=year on:input=move |ev| year.set(event_target_value(&ev)) />
                    {error_of("year")}
                </label>
                <label class="field">
                    <span>{move || i18n.t("inspection.deadline")}</span>
                    <input type="date" name="deadline" prop:value=deadline on:input=move |ev| deadline.set(event_target_value(&ev)) />
                    {error_of("deadline")}
                </label>
                <fieldset class="choices">
                    <legend>{move || i18n.t("inspection.levels")}</legend>
                    {Level::ALL.into_iter().map(|level| view! {
                        <label class="choice">
                            <input type="checkbox" name="levels" value=level.key()
                                prop:checked=move || levels.with(|l| l.contains(&level))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    levels.update(|l| { l.retain(|x| *x != level); if on { l.push(level) } });
                                } />
                            {move || i18n.label(level)}
                        </label>
                    }).collect_view()}
                    <small class="field__hint">{move || i18n.t("inspection.levels_hint")}</small>
                </fieldset>
                <label class="field">
                    <span>{move || i18n.t("inspection.division")}</span>
                    <select name="division_code" on:change=move |ev| division.set(event_target_value(&ev))>
                        <option value=PROVINCE_CODE>{move || i18n.t("inspection.whole_province")}</option>
                        {move || loaded_cities(divisions).into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
                    </select>
                    {error_of("division_code")}
                </label>
                <button type="submit" class="button button--primary" data-testid="open-cycle-submit"
                    disabled=move || input().is_none() || !problems.get().is_empty() || open.pending().get()>
                    {move || i18n.t("inspection.open_cycle")}
                </button>
                {move || open.value().get().and_then(Result::err).map(|e| view! {
                    <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
                })}
            </form>
        </details>
    }
}
