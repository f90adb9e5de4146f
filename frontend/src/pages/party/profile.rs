//! An organization's party record: its state on a day (today, or the day in the URL), its dated history,
//! approvals, instructors and visits; staff record a change, the organization reports its own for staff to
//! confirm.

use domain::api::{NewPartyRecordRequest, PartyProfile, ProfileQuery};
use domain::party::{PartyInfo, PartyOrgKind};
use domain::policy::STAFF_OR_ORG;
use leptos::prelude::*;

use super::kind_badge;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::routes::{use_id_param, use_url_query};
use crate::session::use_session;

#[component]
pub fn PartyProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = use_id_param();
    let (query, apply) = use_url_query::<ProfileQuery>();
    let profile = LocalResource::new(move || {
        let (id, query) = (id.get(), query.get());
        async move { api::party_profile(id, &query).await }
    });
    view! {
        <RequireAuth>
            <section class="page">
                <Async resource=profile let:p>
                    <h1>{p.name.clone()}</h1>
                    <p class="lead">{p.credit_code.clone()}" · "{i18n.label(p.level)}</p>
                    <label class="field">
                        <span>{i18n.t("party.on")}</span>
                        <input type="date" name="on" prop:value=p.on.to_string()
                            on:change=move |ev| apply.run(ProfileQuery { on: event_target_value(&ev).parse().ok() }) />
                    </label>
                    {state_facts(&p)}
                    {session.has_role_untracked(STAFF_OR_ORG).then(|| {
                        let current = p.current.clone();
                        view! { <RecordForm organization_id=p.organization_id current on_saved=move || profile.refetch() /> }
                    })}
                    {history(&p)}
                    <h2>{i18n.t("party.instructors")}</h2>
                    <ul class="plain-list">
                        {p.instructors.iter().map(|a| view! {
                            <li>{i18n.t_with("party.batch_number", &[("number", a.batch_number.to_string())])}" · "
                                {a.instructor_name.clone()}" · "{a.term_start.to_string()}" — "{a.term_end.to_string()}</li>
                        }).collect_view()}
                    </ul>
                    <h2>{i18n.t("party.visits")}</h2>
                    <ul class="plain-list" data-testid="profile-visits">
                        {p.visits.iter().map(|v| view! {
                            <li>{v.visited_on.to_string()}" · "{v.instructor_name.clone()}" · "{v.note.clone()}</li>
                        }).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}

/// The state on the day: the party organization, its members and approval, or the liaison; 群团 bodies.
fn state_facts(p: &PartyProfile) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let c = &p.current;
    let yes_no = move |b: bool| {
        if b {
            i18n.t("party.yes")
        } else {
            i18n.t("party.no")
        }
    };
    let joint = p
        .joint
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <dl class="facts" data-testid="party-state">
            <dt>{i18n.t("party.kind")}</dt><dd data-testid="party-kind">{kind_badge(c.kind)}</dd>
            <dt>{i18n.t("party.members")}</dt><dd>{c.members}</dd>
            <dt>{i18n.t("party.approved_on")}</dt><dd>{c.approved_on.map(|d| d.to_string())}</dd>
            <dt>{i18n.t("party.approving_body")}</dt><dd>{c.approving_body.clone()}</dd>
            <dt>{i18n.t("party.liaison")}</dt><dd>{c.liaison.clone()}</dd>
            <dt>{i18n.t("party.joint_with")}</dt><dd>{joint}</dd>
            <dt>{i18n.t("party.groups")}</dt>
            <dd>{i18n.t("party.trade_union")}" "{yes_no(c.trade_union)}" · "{i18n.t("party.youth_league")}" "
                {yes_no(c.youth_league)}" · "{i18n.t("party.womens_federation")}" "{yes_no(c.womens_federation)}</dd>
        </dl>
    }
}

/// Every record, newest first, and the approvals.
fn history(p: &PartyProfile) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        <h2>{i18n.t("party.history")}</h2>
        <ul class="record-list" data-testid="party-history">
            {p.history.iter().map(|r| view! {
                <li class="record">
                    <div class="record__head">
                        <strong>{r.effective_on.to_string()}</strong>{kind_badge(r.info.kind)}
                        <span class="badge">{i18n.label(r.status)}</span>
                    </div>
                    <div class="record__meta">
                        <span>{i18n.t_with("party.members_count", &[("count", r.info.members.to_string())])}</span>
                        <span>{i18n.label(r.source)}</span><span>{r.filed_by.clone()}</span>
                        {r.note.clone().map(|n| view! { <span>{n}</span> })}
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <h2>{i18n.t("party.approvals")}</h2>
        <ul class="plain-list" data-testid="party-approvals">
            {p.approvals.iter().map(|a| view! {
                <li>{a.applied_on.to_string()}" · "{i18n.label(a.kind)}" · "{i18n.label(a.status)}
                    {a.decided_on.map(|d| format!(" · {d}"))}{a.note.clone().map(|n| format!(" · {n}"))}</li>
            }).collect_view()}
        </ul>
    }
}

/// Records a change (staff) or reports one (the organization, confirmed by staff later).
#[component]
fn RecordForm(
    organization_id: i64,
    current: PartyInfo,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let info = RwSignal::new(current);
    let effective_on = RwSignal::new(crate::format::today());
    let save = Action::new_local(move |body: &NewPartyRecordRequest| {
        let body = body.clone();
        async move { api::create_party_record(organization_id, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_saved.run(());
        }
    });
    let text = move |label: &'static str,
                     name: &'static str,
                     get: fn(&PartyInfo) -> Option<String>,
                     set: fn(&mut PartyInfo, Option<String>)| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input name=name prop:value=move || info.with(|i| get(i).unwrap_or_default())
                    on:input=move |ev| info.update(|i| set(i, crate::routes::non_empty(event_target_value(&ev)))) />
            </label>
        }
    };
    let flag = move |label: &'static str, get: fn(&PartyInfo) -> bool, set: fn(&mut PartyInfo, bool)| {
        view! {
            <label class="choice">
                <input type="checkbox" prop:checked=move || info.with(get) on:change=move |ev| info.update(|i| set(i, event_target_checked(&ev))) />
                <span>{move || i18n.t(label)}</span>
            </label>
        }
    };
    view! {
        <details class="panel">
            <summary>{move || i18n.t("party.record_change")}</summary>
            <form class="form" data-testid="party-record-form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(NewPartyRecordRequest { effective_on: effective_on.get_untracked(), info: info.get_untracked() });
            }>
                <label class="field">
                    <span>{move || i18n.t("party.effective")}</span>
                    <input type="date" name="effective_on" prop:value=move || effective_on.get().to_string()
                        on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { effective_on.set(d) } />
                </label>
                <label class="field">
                    <span>{move || i18n.t("party.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = PartyOrgKind::parse(&event_target_value(&ev)) { info.update(|i| i.kind = k) }
                    }>
                        {PartyOrgKind::ALL.into_iter().map(|k| view! {
                            <option value=k.key() selected=move || info.with(|i| i.kind == k)>{move || i18n.label(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("party.members")}</span>
                    <input type="number" inputmode="numeric" name="members" prop:value=move || info.with(|i| i.members.to_string())
                        on:input=move |ev| info.update(|i| i.members = event_target_value(&ev).trim().parse().unwrap_or(u32::MAX)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("party.approved_on")}</span>
                    <input type="date" name="approved_on" prop:value=move || info.with(|i| i.approved_on.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| info.update(|i| i.approved_on = event_target_value(&ev).parse().ok()) />
                </label>
                {text("party.approving_body", "approving_body", |i| i.approving_body.clone(), |i, v| i.approving_body = v)}
                {text("party.liaison", "liaison", |i| i.liaison.clone(), |i, v| i.liaison = v)}
                <fieldset class="choices">
                    <legend>{move || i18n.t("party.groups")}</legend>
                    {flag("party.trade_union", |i| i.trade_union, |i, v| i.trade_union = v)}
                    {flag("party.youth_league", |i| i.youth_league, |i, v| i.youth_league = v)}
                    {flag("party.womens_federation", |i| i.womens_federation, |i, v| i.womens_federation = v)}
                </fieldset>
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>{move || i18n.t("party.save")}</button>
                {move || match save.value().get() {
                    Some(Ok(r)) => Some(view! { <p class="notice notice--ok" role="status">{i18n.label(r.status)}</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }.into_any()),
                    None => None,
                }}
            </form>
        </details>
    }
}
