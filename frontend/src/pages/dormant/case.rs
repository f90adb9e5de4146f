//! One dormant case: its stage, the signals with their evidence, what each step recorded, and the steps
//! open at its stage — confirm or dismiss a candidate, interview, order rectification by a deadline, then
//! keep it under observation, deregister it (naming an approved 注销登记 matter) or revoke it (naming the
//! penalty decision). Each step is checked in the browser by the server's own rule (`CaseStep::apply`).

use domain::api::{CaseStep, DormantCase, MatterSummary};
use domain::dormant::CaseStage;
use domain::policy::STAFF;
use domain::registry::matter::{MatterKind, MatterStage};
use leptos::prelude::*;

use super::stage_badge;
use crate::api;
use crate::components::field::field_error;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};

/// The steps staff may choose, each with its locale key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Confirm,
    Dismiss,
    Interview,
    OrderRectification,
    KeepUnderObservation,
    Deregister,
    Revoke,
}

impl Step {
    /// The steps open at `stage` (the domain refuses the others).
    fn open_at(stage: CaseStage) -> &'static [Step] {
        match stage {
            CaseStage::Candidate => &[Step::Confirm, Step::Dismiss],
            CaseStage::Confirmed => &[Step::Interview, Step::Dismiss],
            CaseStage::Interviewed => &[Step::OrderRectification],
            CaseStage::Rectifying => &[Step::KeepUnderObservation, Step::Deregister, Step::Revoke],
            _ => &[],
        }
    }

    fn key(self) -> &'static str {
        match self {
            Step::Confirm => "confirm",
            Step::Dismiss => "dismiss",
            Step::Interview => "interview",
            Step::OrderRectification => "order_rectification",
            Step::KeepUnderObservation => "keep_under_observation",
            Step::Deregister => "deregister",
            Step::Revoke => "revoke",
        }
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let case = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_case(id).await }
    });
    let on_change = Callback::new(move |()| case.refetch());
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Dormant.path()>{move || i18n.t("dormant.back")}</a></p>
                <Async resource=case let:found>
                    <CaseView case=found on_change />
                </Async>
            </section>
        </RequireAuth>
    }
}

#[component]
fn CaseView(case: DormantCase, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let c = case;
    let stage = c.stage;
    let fact = |key: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{move || i18n.t(key)}</dt><dd>{v}</dd> })
    };
    let steps = Step::open_at(stage);
    view! {
        <h1 data-testid="case-organization">{c.organization_name.clone()}</h1>
        <p class="lead">{stage_badge(i18n, stage)}" "<code>{c.credit_code.clone()}</code></p>
        <p><a href=Page::organization(c.organization_id)>{move || i18n.t("dormant.profile")}</a></p>
        <h2>{move || i18n.t("dormant.signals")}</h2>
        <ul class="record-list" data-testid="case-signals">
            {c.signals.iter().map(|s| {
                let signal = s.signal;
                view! {
                    <li class="record">
                        <strong>{move || i18n.label(signal)}</strong>
                        <p class="record__text">{s.evidence.clone()}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h2>{move || i18n.t("dormant.record")}</h2>
        <dl class="facts" data-testid="case-facts">
            {fact("dormant.proposed", Some(c.proposed_on.to_string()))}
            {fact("dormant.confirmed_on", c.confirmed_on.map(|d| d.to_string()))}
            {fact("dormant.interviewee", c.interviewee.clone())}
            {fact("dormant.interviewed_on", c.interviewed_on.map(|d| d.to_string()))}
            {fact("dormant.interview_outcome", c.interview_outcome.clone())}
            {fact("dormant.deadline", c.rectification_deadline.map(|d| d.to_string()))}
            {fact("dormant.requirements", c.rectification_requirements.clone())}
            {fact("dormant.closed_on", c.closed_on.map(|d| d.to_string()))}
            {fact("dormant.decision_number", c.decision_number.clone())}
            {fact("dormant.note", c.note.clone())}
        </dl>
        {c.matter_id.map(|m| view! {
            <p><a href=Page::matter(m) data-testid="case-matter">{move || i18n.t_with("dormant.matter", &[("id", m.to_string())])}</a></p>
        })}
        {c.public_notice.clone().map(|notice| view! {
            <div class="notice" data-testid="case-public-notice"><strong>{move || i18n.t("dormant.public_notice")}</strong><p>{notice}</p></div>
        })}
        {(!steps.is_empty()).then(|| view! { <StepForm id=c.id organization_id=c.organization_id stage steps on_change /> })}
    }
}

/// The step chosen among those open, with the fields it needs.
#[component]
fn StepForm(
    id: i64,
    organization_id: i64,
    stage: CaseStage,
    steps: &'static [Step],
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = RwSignal::new(steps[0]);
    let text = RwSignal::new(String::new());
    let who = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let matter = RwSignal::new(None::<i64>);
    let today = crate::format::today();
    let request = move || -> Option<CaseStep> {
        let day = || date.get().parse().ok();
        Some(match step.get() {
            Step::Confirm => CaseStep::Confirm { note: text.get() },
            Step::Dismiss => CaseStep::Dismiss { reason: text.get() },
            Step::Interview => CaseStep::Interview {
                interviewee: who.get(),
                on: day()?,
                outcome: text.get(),
            },
            Step::OrderRectification => CaseStep::OrderRectification {
                deadline: day()?,
                requirements: text.get(),
            },
            Step::KeepUnderObservation => CaseStep::KeepUnderObservation { note: text.get() },
            Step::Deregister => CaseStep::Deregister {
                matter_id: matter.get()?,
            },
            Step::Revoke => CaseStep::Revoke {
                decision_number: who.get(),
                decided_on: day()?,
            },
        })
    };
    let problem = Memo::new(move |_| match request() {
        Some(request) => request.apply(stage, today).err().map(|e| e.to_string()),
        None => Some(i18n.t("dormant.incomplete")),
    });
    let send = Action::new_local(move |body: &CaseStep| {
        let body = body.clone();
        async move { api::step_case(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(send.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    // The fields each step needs: (locale key of the label, which signal, input type).
    let shows = move |wanted: &'static [Step]| wanted.contains(&step.get());
    view! {
        <h2>{move || i18n.t("dormant.next_step")}</h2>
        <form class="stack" data-testid="case-step" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(body) = untrack(request).filter(|_| problem.get_untracked().is_none()) { send.dispatch(body); }
        }>
            <fieldset class="choices">
                <legend>{move || i18n.t("dormant.step")}</legend>
                {steps.iter().copied().map(|s| view! {
                    <label class="choice">
                        <input type="radio" name="step" value=s.key() prop:checked=move || step.get() == s
                            on:change=move |_| step.set(s) />
                        {move || i18n.t(&format!("dormant.step.{}", s.key()))}
                    </label>
                }).collect_view()}
            </fieldset>
            <Show when=move || shows(&[Step::Interview, Step::Revoke])>
                <label class="field">
                    <span>{move || if step.get() == Step::Revoke { i18n.t("dormant.decision_number") } else { i18n.t("dormant.interviewee") }}</span>
                    <input name="who" maxlength="100" prop:value=who on:input=move |ev| who.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=move || shows(&[Step::Interview, Step::OrderRectification, Step::Revoke])>
                <label class="field">
                    <span>{move || i18n.t(match step.get() {
                        Step::OrderRectification => "dormant.deadline",
                        Step::Revoke => "dormant.decided_on",
                        _ => "dormant.interviewed_on",
                    })}</span>
                    <input type="date" name="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=move || shows(&[Step::Deregister])>
                <MatterChoice organization_id matter />
            </Show>
            <Show when=move || !shows(&[Step::Deregister, Step::Revoke])>
                <label class="field">
                    <span>{move || i18n.t(match step.get() {
                        Step::Dismiss => "dormant.reason",
                        Step::Interview => "dormant.interview_outcome",
                        Step::OrderRectification => "dormant.requirements",
                        Step::KeepUnderObservation => "dormant.rectified",
                        _ => "dormant.note",
                    })}</span>
                    <textarea name="text" rows="3" maxlength="1000" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            </Show>
            {field_error(move || problem.get())}
            <button type="submit" class="button button--primary" data-testid="take-step"
                disabled=move || problem.get().is_some() || send.pending().get()>
                {move || i18n.t(&format!("dormant.step.{}", step.get().key()))}
            </button>
            {move || send.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
        </form>
    }
}

/// The organization's approved deregistration matters to name (注销 goes through one).
#[component]
fn MatterChoice(organization_id: i64, matter: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let matters = LocalResource::new(move || async move {
        let detail = api::find_organization(organization_id).await?;
        let approved: Vec<MatterSummary> = detail
            .matters
            .into_iter()
            .filter(|m| m.kind == MatterKind::Deregistration && m.state.stage() == MatterStage::Approved)
            .collect();
        Ok::<_, api::Error>(approved)
    });
    view! {
        <Async resource=matters let:approved>
            {if approved.is_empty() {
                view! { <p class="notice" data-testid="no-deregistration">{move || i18n.t("dormant.no_deregistration")}</p> }.into_any()
            } else {
                if matter.get_untracked().is_none() { matter.set(approved.first().map(|m| m.id)); }
                view! {
                    <label class="field">
                        <span>{move || i18n.t("dormant.deregistration_matter")}</span>
                        <select name="matter" on:change=move |ev| matter.set(event_target_value(&ev).parse().ok())>
                            {approved.into_iter().map(|m| view! {
                                <option value=m.id.to_string()>{format!("#{} {}", m.id, m.decided_at.map(crate::format::format_time).unwrap_or_default())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                }.into_any()
            }}
        </Async>
    }
}
