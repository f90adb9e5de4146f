//! Staff: one clue or case — what was reported, its dated steps with the agencies involved, its evidence
//! files (photos and PDFs, uploaded here), and the form for the next step: investigate, record what was
//! done with which agencies, or an outcome (ban with the decision's number, dissuade, register lawfully
//! through an approved establishment matter, close with reasons).

use domain::api::{IllegalCase, IllegalStep};
use domain::illegal::{Agency, IllegalStage};
use domain::policy::STAFF;
use leptos::prelude::*;

use super::stage_badge;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::{format_bytes, today};
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};

type Step = Action<IllegalStep, api::Result<IllegalCase>>;

#[component]
pub fn IllegalCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let case = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_illegal_case(id).await }
    });
    let step: Step = Action::new_local(move |step: &IllegalStep| {
        let (step, id) = (step.clone(), id.get_untracked());
        async move { api::step_illegal_case(id, &step).await }
    });
    Effect::new(move |_| {
        if step.value().get().is_some_and(|r| r.is_ok()) {
            case.refetch();
        }
    });
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::IllegalCases.path()>{move || i18n.t("illegal.back_to_cases")}</a></p>
                <Async resource=case let:c>
                    <CaseFacts case=c.clone() />
                    <CaseSteps case=c.clone() />
                    <CaseEvidence case=c.clone() on_added=move || case.refetch() />
                    {(!c.stage.is_closed()).then(|| view! { <StepForm stage=c.stage step /> })}
                </Async>
            </section>
        </RequireAuth>
    }
}

#[component]
fn CaseFacts(case: IllegalCase) -> impl IntoView {
    let i18n = use_i18n();
    let c = case;
    let row =
        move |key: &'static str, value: String| view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> };
    view! {
        <h1 data-testid="case-name">{c.name.clone()}</h1>
        <p class="lead" data-testid="case-stage">
            {stage_badge(c.stage)}" "
            {move || i18n.label(c.source)}
            {c.batch_number.map(|n| view! { " · "{move || i18n.t_with("illegal.batch_n", &[("n", n.to_string())])} })}
        </p>
        {c.petition_id.map(|id| view! {
            <p><a href=Page::petition(id) data-testid="case-petition">{move || i18n.t_with("illegal.source_petition", &[("id", id.to_string())])}</a></p>
        })}
        {c.organization_id.map(|id| view! {
            <p>
                {move || i18n.t("illegal.still_acting")}" "
                <a href=Page::organization(id) data-testid="case-organization">{move || i18n.t("illegal.registry_record")}</a>
            </p>
        })}
        <dl class="facts">
            {row("illegal.where", c.division_code.clone())}
            {row("illegal.address", c.address.clone())}
            {row("illegal.activities", c.activities.clone())}
            {(!c.evidence.is_empty()).then(|| row("illegal.evidence", c.evidence.clone()))}
            {c.reporter_contact.clone().map(|v| row("illegal.contact_masked", v))}
            <dt>{move || i18n.t("illegal.body_status")}</dt><dd data-testid="body-status">{move || i18n.label(c.body_status)}</dd>
            {c.decision_number.clone().map(|v| row("illegal.decision_number", v))}
            {c.matter_id.map(|m| view! {
                <dt>{move || i18n.t("illegal.matter")}</dt><dd><a href=Page::matter(m)>{format!("#{m}")}</a></dd>
            })}
            {c.outcome_note.clone().map(|v| row("illegal.outcome_note", v))}
        </dl>
    }
}

#[component]
fn CaseSteps(case: IllegalCase) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{move || i18n.t("illegal.steps")}</h2>
        <ol class="record-list" data-testid="case-steps">
            {case.steps.into_iter().map(|s| {
                let action = format!("illegal.action.{}", s.action);
                let agencies = s.agencies.clone();
                view! {
                    <li class="record">
                        <div class="record__head">
                            <time>{s.on.to_string()}</time>
                            <strong>{move || i18n.t(&action)}</strong>
                            {agencies.into_iter().map(|a| view! { <span class="badge">{move || i18n.label(a)}</span> }).collect_view()}
                        </div>
                        <p class="record__text">{s.description}</p>
                        <div class="record__meta"><span>{s.recorded_by}</span></div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The case's files, each opened in a new tab (the server audits the download); staff add more while the
/// case is open.
#[component]
fn CaseEvidence(case: IllegalCase, #[prop(into)] on_added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = case.id;
    let input = NodeRef::<leptos::html::Input>::new();
    // The file is read from the input when the action runs (a browser `File` stays on its one thread).
    let upload = Action::new_local(move |_: &()| {
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        async move {
            let file = file.ok_or_else(|| api::Error::Fetch("no file".to_owned()))?;
            api::upload_case_evidence(id, &file, &file.name()).await
        }
    });
    Effect::new(move |_| {
        if upload.value().get().is_some_and(|r| r.is_ok()) {
            on_added.run(());
        }
    });
    view! {
        <h2>{move || i18n.t("illegal.files")}</h2>
        {case.files.is_empty().then(|| view! { <p class="count">{move || i18n.t("illegal.no_files")}</p> })}
        <ul class="plain-list" data-testid="case-files">
            {case.files.into_iter().map(|f| view! {
                <li>
                    <a href=api::case_evidence_url(id, f.id) rel="noopener" target="_blank">
                        {if f.original_name.is_empty() { format!("#{}", f.id) } else { f.original_name.clone() }}
                    </a>
                    " · "{format_bytes(f.size_bytes.max(0) as u64)}
                </li>
            }).collect_view()}
        </ul>
        {(!case.stage.is_closed()).then(|| view! {
            <label class="field">
                <span>{move || i18n.t("illegal.add_file")}</span>
                <input type="file" name="file" node_ref=input data-testid="case-file"
                    accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
                    on:change=move |_| { upload.dispatch(()); } />
            </label>
            {move || upload.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
        })}
    }
}

/// The next step: the actions the stage allows, each with its own fields.
#[component]
fn StepForm(stage: IllegalStage, step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let actions: &[&str] = if stage == IllegalStage::Clue {
        &["investigate", "close"]
    } else {
        &["record", "ban", "dissuade", "register_lawfully", "close"]
    };
    let action = RwSignal::new(actions[0].to_owned());
    let on = RwSignal::new(today().to_string());
    let text = RwSignal::new(String::new());
    let agencies = RwSignal::new(Vec::<Agency>::new());
    let submit = move || {
        let on = on.get_untracked().parse().unwrap_or_else(|_| today());
        let text = text.get_untracked();
        let next = match action.get_untracked().as_str() {
            "investigate" => IllegalStep::Investigate { on, note: text },
            "record" => IllegalStep::Record {
                on,
                agencies: agencies.get_untracked(),
                description: text,
            },
            "ban" => IllegalStep::Ban {
                on,
                decision_number: text,
            },
            "dissuade" => IllegalStep::Dissuade { on, note: text },
            "register_lawfully" => IllegalStep::RegisterLawfully {
                on,
                matter_id: text.trim().parse().unwrap_or(0),
            },
            _ => IllegalStep::Close { on, reason: text },
        };
        step.dispatch(next);
    };
    view! {
        <h2>{move || i18n.t("illegal.next_step")}</h2>
        <form class="stack" data-testid="step-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label class="field">
                <span>{move || i18n.t("illegal.action")}</span>
                <select name="action" on:change=move |ev| action.set(event_target_value(&ev))>
                    {actions.iter().map(|a| {
                        let key = format!("illegal.action.{a}");
                        view! { <option value=*a>{move || i18n.t(&key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("enforcement.on")}</span>
                <input type="date" name="on" prop:value=on on:input=move |ev| on.set(event_target_value(&ev)) />
            </label>
            <Show when=move || action.get() == "record">
                <fieldset class="choices">
                    <legend>{move || i18n.t("illegal.agencies")}</legend>
                    {Agency::ALL.into_iter().map(|a| view! {
                        <label class="choice">
                            <input type="checkbox" name="agencies" value=a.key() on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                agencies.update(|list| { list.retain(|x| *x != a); if checked { list.push(a) } });
                            } />
                            {move || i18n.label(a)}
                        </label>
                    }).collect_view()}
                </fieldset>
            </Show>
            <label class="field">
                <span>{move || i18n.t(&format!("illegal.text.{}", action.get()))}</span>
                <textarea name="text" rows="3" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            {move || step.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert" data-testid="step-error">{e.message(&i18n)}</p> })}
            <button type="submit" class="button button--primary" data-testid="take-step" disabled=move || step.pending().get()>
                {move || i18n.t("illegal.take_step")}
            </button>
        </form>
    }
}
