//! Staff: the petition list (信访清单), the earliest due first, overdue and near-due flagged, petitioners
//! masked; filters in the URL (stage, channel, deadline, city); and the form that registers a petition
//! received by letter, visit or phone.

use domain::api::{NewPetitionRequest, Page as ResultPage, Petition, PetitionQuery, PetitionerInput};
use domain::petitions::{PetitionChannel, PetitionStage};
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::deadline_badge;
use crate::api;
use crate::components::division::DivisionPicker;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::components::pager::Pager;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, non_empty, use_url_query};

#[component]
pub fn PetitionsPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><PetitionList /></RequireAuth> }
}

#[component]
fn PetitionList() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<PetitionQuery>();
    let petitions = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_petitions(&query).await }
    });
    let apply =
        Callback::new(move |next: PetitionQuery| navigate_to.run(PetitionQuery { page: None, ..next }));
    let divisions = LocalResource::new(api::list_divisions);
    view! {
        <section class="page">
            <h1>{move || i18n.t("petitions.list_title")}</h1>
            <p class="lead">{move || i18n.t("petitions.list_lead")}</p>
            <NewPetitionForm />
            <form class="filters" on:submit=move |ev| ev.prevent_default()>
                <EnumSelect label="petitions.stage" name="stage" values=&PetitionStage::ALL selected=Signal::derive(move || query.get().stage)
                    on_change=move |v| apply.run(PetitionQuery { stage: v, ..query.get_untracked() }) />
                <EnumSelect label="petitions.channel" name="channel" values=&PetitionChannel::ALL selected=Signal::derive(move || query.get().channel)
                    on_change=move |v| apply.run(PetitionQuery { channel: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("petitions.deadline")}</span>
                    <select name="deadline" on:change=move |ev| apply.run(PetitionQuery { deadline: non_empty(event_target_value(&ev)), ..query.get_untracked() })>
                        {[("", "common.all"), ("overdue", "petitions.overdue"), ("near_due", "petitions.near_due")].into_iter().map(|(value, key)| view! {
                            <option value=value selected=move || query.get().deadline.as_deref().unwrap_or("") == value>{move || i18n.t(key)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("enforcement.city")}</span>
                    <select name="division" on:change=move |ev| apply.run(PetitionQuery { division: non_empty(event_target_value(&ev)), ..query.get_untracked() })>
                        <option value="">{move || i18n.t("common.all")}</option>
                        {move || loaded_cities(divisions).into_iter().map(|c| {
                            let code = c.code.clone();
                            view! { <option value=c.code selected=move || query.get().division.as_deref() == Some(code.as_str())>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </form>
            <Async resource=petitions let:page>
                <PetitionResults page query />
            </Async>
        </section>
    }
}

#[component]
fn PetitionResults(page: ResultPage<Petition>, query: Memo<PetitionQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let href_for = move |n: u32| {
        Page::Petitions.with_query(&PetitionQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="petitions-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="petition-list">
            {page.items.into_iter().map(|p| {
                let matter: String = p.matter.chars().take(60).collect();
                view! {
                    <li class="record">
                        <div class="record__head">
                            <a href=Page::petition(p.id)><strong>{format!("#{} ", p.id)}{p.petitioner_name.clone()}</strong></a>
                            <span class="badge">{move || i18n.label(p.stage)}</span>
                            {deadline_badge(p.deadline)}
                        </div>
                        <div class="record__meta">
                            <span>{move || i18n.label(p.channel)}</span>
                            <span>{move || i18n.t("petitions.received_on")}" "{p.received_on.to_string()}</span>
                            {p.due_on.map(|d| view! { <span>{move || i18n.t("petitions.due_on")}" "{d.to_string()}</span> })}
                            {p.organization_name.clone().map(|n| view! { <span>{n}</span> })}
                        </div>
                        <p class="record__text">{matter}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
}

/// Registers a petition received by letter, visit or phone; the new petition opens.
#[component]
fn NewPetitionForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let channel = RwSignal::new(PetitionChannel::Letter);
    let received_on = RwSignal::new(today().to_string());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let matter = RwSignal::new(String::new());
    let division = RwSignal::new(String::new());
    let create = Action::new_local(move |body: &NewPetitionRequest| {
        let body = body.clone();
        async move { api::create_petition(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = create.value().get() {
            navigate(&Page::petition(p.id), Default::default());
        }
    });
    let text =
        move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    view! {
        <details class="panel">
            <summary>{move || i18n.t("petitions.register")}</summary>
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(NewPetitionRequest {
                    channel: channel.get_untracked(),
                    received_on: received_on.get_untracked().parse().unwrap_or_else(|_| today()),
                    petitioner: PetitionerInput { name: name.get_untracked(), phone: phone.get_untracked(), id_number: id_number.get_untracked() },
                    matter: matter.get_untracked(),
                    organization_id: None,
                    division_code: non_empty(division.get_untracked()),
                });
            }>
                <label class="field">
                    <span>{move || i18n.t("petitions.channel")}</span>
                    <select name="new_channel" on:change=move |ev| {
                        if let Some(c) = PetitionChannel::parse(&event_target_value(&ev)) { channel.set(c) }
                    }>
                        {PetitionChannel::ALL.into_iter().map(|c| view! {
                            <option value=c.key() selected=move || channel.get() == c>{move || i18n.label(c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("petitions.received_on")}</span>
                    <input type="date" name="received_on" prop:value=received_on on:input=text(received_on) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("petitions.name")}</span>
                    <input name="new_name" maxlength="50" prop:value=name on:input=text(name) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("petitions.phone")}</span>
                    <input name="new_phone" type="tel" inputmode="tel" maxlength="20" prop:value=phone on:input=text(phone) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("petitions.id_number")}</span>
                    <input name="new_id_number" maxlength="18" prop:value=id_number on:input=text(id_number) />
                </label>
                <DivisionPicker label="petitions.where" name="new_division" value=division />
                <label class="field">
                    <span>{move || i18n.t("petitions.matter")}</span>
                    <textarea name="new_matter" rows="4" prop:value=matter on:input=text(matter)></textarea>
                </label>
                {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>{move || i18n.t("petitions.register")}</button>
            </form>
        </details>
    }
}
