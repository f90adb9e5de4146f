//! Registration matters: the staff queue (or an organization's own matters) with overdue and near-due
//! badges, one matter with its history and the next steps, and the filing form that checks as you type.

use domain::api::{
    FieldError, FileMatterRequest, MatterDetail, MatterQuery, MatterSummary, NewOrganizationInput,
    ProfileChanges, ResubmitRequest,
};
use domain::policy::STAFF_OR_ORG;
use domain::registry::matter::{ActionKind, DeadlineStatus, MatterAction, MatterKind, Party};
use domain::registry::organization::{Category, EmergingIndustry, OrgKind};
use domain::registry::registration::{allows_change, check_application, registers_new_organization};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

fn deadline_badge(status: Option<DeadlineStatus>) -> Option<(&'static str, &'static str)> {
    match status? {
        DeadlineStatus::Overdue => Some(("badge badge--danger", "matters.overdue")),
        DeadlineStatus::NearDue => Some(("badge badge--warn", "matters.near_due")),
        DeadlineStatus::OnTime => None,
    }
}

#[component]
pub fn MattersPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><MatterList /></RequireAuth> }
}

#[component]
fn MatterList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let matters = LocalResource::new(|| async move {
        api::list_matters(&MatterQuery {
            per_page: Some(100),
            ..Default::default()
        })
        .await
    });
    let is_staff = move || session.role_untracked().is_some_and(|r| r.is_staff());
    view! {
        <section class="page">
            <h1>{move || if is_staff() { i18n.t("matters.queue_title") } else { i18n.t("matters.mine_title") }}</h1>
            <p><A href=Page::NewMatter.path() attr:class="button button--primary">{move || i18n.t("matters.file")}</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match matters.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="notice">{move || i18n.t("matters.empty")}</p> }.into_any(),
                        Ok(page) => view! {
                            <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                            <ul class="cards" data-testid="matters">{page.items.into_iter().map(matter_card).collect_view()}</ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || matters.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn matter_card(m: MatterSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = m.kind;
    let state = m.state.clone();
    let channel = m.channel;
    let badge = deadline_badge(m.deadline);
    view! {
        <li class="card">
            <A href=Page::matter(m.id)><strong>{format!("#{} {}", m.id, m.organization_name)}</strong></A>
            <p>
                {move || i18n.label(kind)} " · "
                {move || i18n.label(state.stage())}
                {(channel == domain::registry::matter::Channel::Green).then(|| view! { <span class="badge badge--ok">{move || i18n.label(channel)}</span> })}
                {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
            </p>
            {m.due_on.map(|due| view! { <p>{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        </li>
    }
}

#[component]
pub fn MatterPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><MatterRecord /></RequireAuth> }
}

#[component]
fn MatterRecord() -> impl IntoView {
    let id = use_id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_matter(id).await }
    });
    view! {
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(found) => view! { <MatterView detail=found on_change=move || detail.refetch() /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || detail.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MatterView(detail: MatterDetail, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = detail.matter.id;
    let m = detail.matter;
    let (kind, state) = (m.kind, m.state.clone());
    let badge = deadline_badge(m.deadline);
    let party = if session.role_untracked().is_some_and(|r| r.is_staff()) {
        Party::Staff
    } else {
        Party::Applicant
    };
    let steps: Vec<ActionKind> = m
        .next_actions
        .iter()
        .copied()
        .filter(|a| a.party() == party)
        .collect();
    let staff_steps: Vec<ActionKind> = m
        .next_actions
        .iter()
        .copied()
        .filter(|a| a.party() == Party::Staff && party == Party::Staff)
        .collect();
    let can_resubmit = steps.contains(&ActionKind::Submit)
        && matches!(state, domain::registry::matter::MatterState::Returned { .. });
    let (items, set_items) = signal(String::new());
    let act = Action::new_local(move |action: &MatterAction| {
        let action = action.clone();
        async move { api::act_on_matter(id, &action).await }
    });
    // The resubmission form starts from what was filed; a masked phone number must be typed again.
    let draft = Draft::new(kind);
    draft.changes.set(ProfileChanges {
        contact_phone: detail.changes.contact_phone.clone().filter(|p| !p.contains('*')),
        ..detail.changes.clone()
    });
    if let Some(establishment) = detail.establishment.clone() {
        draft.establishment.set(establishment);
    }
    draft.note.set(detail.note.clone());
    let organization_id = m.organization_id;
    let problems = Memo::new(move |_| {
        check_application(&draft.request(organization_id))
            .err()
            .unwrap_or_default()
    });
    let resubmit = Action::new_local(move |body: &ResubmitRequest| {
        let body = body.clone();
        async move { api::resubmit_matter(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) || matches!(resubmit.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    let error = move || {
        let failed = act
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| resubmit.value().get().and_then(Result::err));
        failed.map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })
    };
    let lines = move || {
        items
            .get_untracked()
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let missing_text = match &state {
        domain::registry::matter::MatterState::Returned { missing } => {
            let items = missing.join("、");
            Some(Signal::derive(move || {
                i18n.t_with("matters.missing", &[("items", items.clone())])
            }))
        }
        domain::registry::matter::MatterState::Rejected { reasons } => {
            let reasons = reasons.join("；");
            Some(Signal::derive(move || reasons.clone()))
        }
        _ => None,
    };
    view! {
        <h1>{format!("#{id} {}", m.organization_name)}</h1>
        <p class="lead" data-testid="matter-state">
            {move || i18n.label(kind)} " · "
            {move || i18n.label(state.stage())}
            {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
        </p>
        {missing_text.map(|t| view! { <p class="notice" data-testid="matter-missing">{t}</p> })}
        {m.due_on.map(|due| view! { <p data-testid="matter-due">{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        {detail.decision.map(|d| view! { <p class="notice notice--ok"><strong>{d.document_number}</strong>" "{d.content}</p> })}
        <p data-testid="matter-note">{detail.note.clone()}</p>
        <MatterContents changes=detail.changes.clone() establishment=detail.establishment.clone() />
        {error}
        <Show when=move || !staff_steps.is_empty()>
            <label class="field">
                <span>{move || i18n.t("matters.items")}</span>
                <textarea name="items" rows="3" prop:value=items on:input=move |ev| set_items.set(event_target_value(&ev))></textarea>
            </label>
        </Show>
        <div class="actions">
            {steps.iter().copied().filter(|a| *a != ActionKind::Submit).map(|step| {
                let action = move || match step {
                    ActionKind::Accept => MatterAction::Accept,
                    ActionKind::Return => MatterAction::Return { missing: lines() },
                    ActionKind::StartReview => MatterAction::StartReview,
                    ActionKind::Approve => MatterAction::Approve,
                    ActionKind::Reject => MatterAction::Reject { reasons: lines() },
                    ActionKind::Submit => MatterAction::Submit,
                };
                view! {
                    <button type="button" class="button" data-testid=format!("action-{}", step.key())
                        on:click=move |_| { act.dispatch(action()); }>
                        {move || i18n.label(step)}
                    </button>
                }
            }).collect_view()}
        </div>
        <Show when=move || can_resubmit>
            <form class="stack" data-testid="resubmit-form" on:submit=move |ev| {
                ev.prevent_default();
                if problems.get_untracked().is_empty() {
                    let request = draft.request(organization_id);
                    resubmit.dispatch(ResubmitRequest {
                        changes: request.changes,
                        establishment: request.establishment,
                        note: request.note,
                    });
                }
            }>
                <h2>{move || i18n.t("matters.complete")}</h2>
                <ApplicationFields draft problems />
                <button type="submit" class="button button--primary" data-testid="resubmit"
                    disabled=move || !problems.get().is_empty() || resubmit.pending().get()>
                    {move || i18n.t("matters.resubmit")}
                </button>
            </form>
        </Show>
        <h2>{move || i18n.t("registry.timeline")}</h2>
        <ol class="timeline">
            {detail.history.into_iter().map(|e| view! {
                <li><time>{crate::format::format_time(e.at)}</time>" "{e.summary}" — "{e.actor_name}</li>
            }).collect_view()}
        </ol>
    }
}

/// What an application asks for, as filed: the fields it sets and, for a new organization, its
/// classification and registering authority.
#[component]
fn MatterContents(changes: ProfileChanges, establishment: Option<NewOrganizationInput>) -> impl IntoView {
    let i18n = use_i18n();
    let rows: Vec<(&'static str, String)> = [
        ("registry.col.name", changes.name),
        ("registry.domicile", changes.domicile),
        ("registry.legal_representative", changes.legal_representative),
        ("registry.business_scope", changes.business_scope),
        ("registry.registered_funds", changes.registered_funds),
        ("registry.contact_phone", changes.contact_phone),
        ("registry.supervisory_unit", changes.supervisory_unit),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|v| (key, v)))
    .collect();
    let establishment = establishment.map(|e| {
        let kind = e.org_kind;
        let categories = e.categories.clone();
        view! {
            <dt>{move || i18n.t("registry.kind")}</dt><dd>{move || i18n.label(kind)}</dd>
            <dt>{move || i18n.t("registry.categories")}</dt><dd>{move || i18n.labels(&categories)}</dd>
            {e.emerging_industry.map(|industry| view! {
                <dt>{move || i18n.t("matters.emerging_industry")}</dt>
                <dd>{move || i18n.label(industry)}</dd>
            })}
            <dt>{move || i18n.t("matters.division")}</dt><dd>{e.division_code}</dd>
        }
    });
    view! {
        <dl class="facts" data-testid="matter-contents">
            {rows.into_iter().map(|(key, value)| view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> }).collect_view()}
            {establishment}
        </dl>
    }
}

/// An application being written: its kind and fields, held in signals the form binds to.
#[derive(Clone, Copy)]
struct Draft {
    kind: RwSignal<MatterKind>,
    changes: RwSignal<ProfileChanges>,
    establishment: RwSignal<NewOrganizationInput>,
    note: RwSignal<String>,
}

impl Draft {
    fn new(kind: MatterKind) -> Draft {
        Draft {
            kind: RwSignal::new(kind),
            changes: RwSignal::new(ProfileChanges::default()),
            establishment: RwSignal::new(NewOrganizationInput {
                org_kind: OrgKind::SocialGroup,
                categories: Vec::new(),
                emerging_industry: None,
                division_code: String::new(),
            }),
            note: RwSignal::new(String::new()),
        }
    }

    /// The application as it will be sent: only the fields its kind takes (what was typed under another
    /// kind is left out), the new organization only for an establishment or 营改非.
    fn request(self, organization_id: Option<i64>) -> FileMatterRequest {
        let kind = self.kind.get();
        let c = self.changes.get();
        let keep = |field: &str, value: Option<String>| value.filter(|_| allows_change(kind, field));
        FileMatterRequest {
            kind,
            organization_id,
            changes: ProfileChanges {
                name: keep("name", c.name),
                domicile: keep("domicile", c.domicile),
                legal_representative: keep("legal_representative", c.legal_representative),
                business_scope: keep("business_scope", c.business_scope),
                registered_funds: keep("registered_funds", c.registered_funds),
                contact_phone: keep("contact_phone", c.contact_phone),
                supervisory_unit: keep("supervisory_unit", c.supervisory_unit),
            },
            establishment: registers_new_organization(kind).then(|| self.establishment.get()),
            note: self.note.get(),
        }
    }
}

/// The message for `field` among the problems the domain check found, shown under the field.
fn problem_for(problems: Memo<Vec<FieldError>>, field: &'static str) -> impl Fn() -> Option<AnyView> {
    move || {
        problems
            .get()
            .into_iter()
            .find(|p| p.field == field)
            .map(|p| view! { <small class="field__error">{p.message}</small> }.into_any())
    }
}

/// The fields an application of the draft's kind needs, each checked as it is typed with the rules the
/// server applies (`domain::registry::registration::check_application`).
#[component]
fn ApplicationFields(draft: Draft, problems: Memo<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let changes = draft.changes;
    let establishment = draft.establishment;
    let divisions = LocalResource::new(api::list_divisions);
    let shows = move |field: &'static str| move || allows_change(draft.kind.get(), field);
    macro_rules! text_field {
        ($field:ident, $key:literal, $wire:literal, $input:literal) => {
            view! {
                <Show when=shows(stringify!($field))>
                    <label class="field">
                        <span>{move || i18n.t($key)}</span>
                        <input name=$wire inputmode=$input prop:value=move || changes.get().$field.unwrap_or_default()
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                changes.update(|c| c.$field = (!value.trim().is_empty()).then_some(value));
                            } />
                        {problem_for(problems, $wire)}
                    </label>
                </Show>
            }
        };
    }
    let new_organization = move || registers_new_organization(draft.kind.get());
    let note_key = move || format!("matters.note.{}", draft.kind.get().key());
    view! {
        {text_field!(name, "registry.col.name", "changes.name", "text")}
        {text_field!(legal_representative, "registry.legal_representative", "changes.legal_representative", "text")}
        {text_field!(domicile, "registry.domicile", "changes.domicile", "text")}
        {text_field!(business_scope, "registry.business_scope", "changes.business_scope", "text")}
        {text_field!(registered_funds, "registry.registered_funds", "changes.registered_funds", "decimal")}
        {text_field!(contact_phone, "registry.contact_phone", "changes.contact_phone", "tel")}
        {text_field!(supervisory_unit, "registry.supervisory_unit", "changes.supervisory_unit", "text")}
        {problem_for(problems, "changes")}
        <Show when=new_organization>
            <Show when=move || draft.kind.get() == MatterKind::Establishment>
                <label class="field">
                    <span>{move || i18n.t("registry.kind")}</span>
                    <select name="establishment.org_kind" on:change=move |ev| {
                        if let Ok(k) = OrgKind::parse(&event_target_value(&ev)) { establishment.update(|e| e.org_kind = k); }
                    }>
                        {OrgKind::ALL.iter().copied().map(|k| view! {
                            <option value=k.key() selected=move || establishment.get().org_kind == k>{move || i18n.label(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <fieldset class="field choices">
                <legend>{move || i18n.t("registry.categories")}</legend>
                {Category::ALL.iter().copied().map(|c| view! {
                    <label class="choice">
                        <input type="checkbox" name="establishment.categories" value=c.key()
                            prop:checked=move || establishment.get().categories.contains(&c)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                establishment.update(|e| {
                                    e.categories.retain(|x| *x != c);
                                    if on { e.categories.push(c); }
                                });
                            } />
                        <span>{move || i18n.label(c)}</span>
                    </label>
                }).collect_view()}
                {problem_for(problems, "establishment.categories")}
            </fieldset>
            <label class="field">
                <span>{move || i18n.t("matters.emerging_industry")}</span>
                <select name="establishment.emerging_industry" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    establishment.update(|e| e.emerging_industry = EmergingIndustry::parse(&value).ok());
                }>
                    <option value="" selected=move || establishment.get().emerging_industry.is_none()>{move || i18n.t("matters.none")}</option>
                    {EmergingIndustry::ALL.iter().copied().map(|industry| view! {
                        <option value=industry.key() selected=move || establishment.get().emerging_industry == Some(industry)>
                            {move || i18n.label(industry)}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("matters.division")}</span>
                <select name="establishment.division_code" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    establishment.update(|e| e.division_code = value);
                }>
                    <option value="">{move || i18n.t("matters.choose")}</option>
                    {move || divisions.get().and_then(Result::ok).map(|tree| {
                        let province = tree.province_code.clone();
                        let province_selected = province.clone();
                        std::iter::once(view! {
                            <option value=province.clone() selected=move || establishment.get().division_code == province_selected>{move || i18n.t("matters.province")}</option>
                        }.into_any()).chain(tree.cities.into_iter().flat_map(|city| {
                            let city_code = city.code.clone();
                            std::iter::once(view! {
                                <option value=city.code.clone() selected=move || establishment.get().division_code == city_code>{city.name.clone()}</option>
                            }.into_any()).chain(city.counties.into_iter().map(move |county| {
                                let code = county.code.clone();
                                view! { <option value=county.code.clone() selected=move || establishment.get().division_code == code>{format!("　{}", county.name)}</option> }.into_any()
                            })).collect::<Vec<_>>()
                        })).collect_view()
                    })}
                </select>
                {problem_for(problems, "establishment.division_code")}
                {problem_for(problems, "establishment")}
            </label>
        </Show>
        <label class="field">
            <span>{move || i18n.t(&note_key())}</span>
            <textarea name="note" rows="3" prop:value=draft.note on:input=move |ev| draft.note.set(event_target_value(&ev))></textarea>
            {problem_for(problems, "note")}
        </label>
    }
}

#[component]
pub fn NewMatterPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><FilingForm /></RequireAuth> }
}

/// The filing form: the fields the chosen kind needs, each checked as it is typed with the rules the
/// server applies. Staff may file for any organization in their scope and register new ones (成立登记,
/// 营改非); an organization user files for its own organization.
#[component]
fn FilingForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let draft = Draft::new(MatterKind::Change);
    let (organization, set_organization) = signal(String::new());
    let organization_id = move || match session.user_untracked().map(|u| u.scope) {
        Some(domain::policy::Scope::Organization { id, .. }) => Some(id),
        _ => organization.get().trim().parse().ok(),
    };
    let problems = Memo::new(move |_| {
        check_application(&draft.request(organization_id()))
            .err()
            .unwrap_or_default()
    });
    let file = Action::new_local(move |body: &FileMatterRequest| {
        let body = body.clone();
        async move { api::file_matter(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(detail)) = file.value().get() {
            navigate(&Page::matter(detail.matter.id), Default::default());
        }
    });
    let is_staff = move || session.role_untracked().is_some_and(|r| r.is_staff());
    let kinds = move || {
        if is_staff() {
            MatterKind::ALL.to_vec()
        } else {
            vec![
                MatterKind::Change,
                MatterKind::ReElection,
                MatterKind::Filing,
                MatterKind::Deregistration,
            ]
        }
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("matters.file")}</h1>
            <form class="stack" data-testid="filing-form" on:submit=move |ev| {
                ev.prevent_default();
                if problems.get_untracked().is_empty() {
                    file.dispatch(draft.request(organization_id()));
                }
            }>
                <label class="field">
                    <span>{move || i18n.t("matters.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Ok(k) = MatterKind::parse(&event_target_value(&ev)) { draft.kind.set(k); }
                    }>
                        {move || kinds()
                            .into_iter()
                            .map(|k| view! { <option value=k.key() selected=move || draft.kind.get() == k>{move || i18n.label(k)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <p class="lead">{move || i18n.t(&format!("matters.hint.{}", draft.kind.get().key()))}</p>
                <Show when=move || is_staff() && !registers_new_organization(draft.kind.get())>
                    <label class="field">
                        <span>{move || i18n.t("matters.organization_id")}</span>
                        <input name="organization_id" inputmode="numeric" prop:value=organization
                            on:input=move |ev| set_organization.set(event_target_value(&ev)) />
                        {problem_for(problems, "organization_id")}
                    </label>
                </Show>
                <ApplicationFields draft problems />
                {move || file.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <button type="submit" class="button button--primary" data-testid="file-matter"
                    disabled=move || !problems.get().is_empty() || file.pending().get()>
                    {move || i18n.t("matters.submit")}
                </button>
            </form>
        </section>
    }
}
