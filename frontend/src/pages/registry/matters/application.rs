//! An application being written (`Draft`) and the fields its kind needs, each checked as it is typed
//! with the rules the server applies.

use domain::api::{FieldError, FileMatterRequest, NewOrganizationInput, ProfileChanges};
use domain::registry::matter::MatterKind;
use domain::registry::organization::{Category, EmergingIndustry, OrgKind};
use domain::registry::registration::{allows_change, registers_new_organization};
use leptos::prelude::*;

use crate::api;
use crate::components::field::{TextField, field_error};
use crate::i18n::use_i18n;

/// An application being written: its kind and fields, held in signals the form binds to.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub(super) kind: RwSignal<MatterKind>,
    pub(super) changes: RwSignal<ProfileChanges>,
    pub(super) establishment: RwSignal<NewOrganizationInput>,
    pub(super) note: RwSignal<String>,
}

impl Draft {
    pub(super) fn new(kind: MatterKind) -> Draft {
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
    pub(super) fn request(self, organization_id: Option<i64>) -> FileMatterRequest {
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

/// The message for `field` among the problems the domain check found.
fn problem_message(problems: Memo<Vec<FieldError>>, field: &str) -> Option<String> {
    problems.with(|all| all.iter().find(|p| p.field == field).map(|p| p.message.clone()))
}

/// That message, shown under the field.
pub(super) fn problem_for(
    problems: Memo<Vec<FieldError>>,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    field_error(move || problem_message(problems, field))
}

/// The fields an application of the draft's kind needs, each checked as it is typed with the rules the
/// server applies (`domain::registry::registration::check_application`).
#[component]
pub(super) fn ApplicationFields(draft: Draft, problems: Memo<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let changes = draft.changes;
    let establishment = draft.establishment;
    let divisions = LocalResource::new(api::list_divisions);
    let shows = move |field: &'static str| move || allows_change(draft.kind.get(), field);
    let text_field = move |label: &'static str,
                           name: &'static str,
                           inputmode: &'static str,
                           get: fn(&ProfileChanges) -> Option<String>,
                           set: fn(&mut ProfileChanges, Option<String>)| {
        let field = name.trim_start_matches("changes.");
        view! {
            <Show when=shows(field)>
                <TextField label name inputmode value=Signal::derive(move || changes.with(|c| get(c).unwrap_or_default()))
                    on_input=move |value: String| changes.update(|c| set(c, (!value.trim().is_empty()).then_some(value)))
                    error=Signal::derive(move || problem_message(problems, name)) />
            </Show>
        }
    };
    let new_organization = move || registers_new_organization(draft.kind.get());
    let note_key = move || format!("matters.note.{}", draft.kind.get().key());
    view! {
        {text_field("registry.col.name", "changes.name", "text", |c| c.name.clone(), |c, v| c.name = v)}
        {text_field("registry.legal_representative", "changes.legal_representative", "text", |c| c.legal_representative.clone(), |c, v| c.legal_representative = v)}
        {text_field("registry.domicile", "changes.domicile", "text", |c| c.domicile.clone(), |c, v| c.domicile = v)}
        {text_field("registry.business_scope", "changes.business_scope", "text", |c| c.business_scope.clone(), |c, v| c.business_scope = v)}
        {text_field("registry.registered_funds", "changes.registered_funds", "decimal", |c| c.registered_funds.clone(), |c, v| c.registered_funds = v)}
        {text_field("registry.contact_phone", "changes.contact_phone", "tel", |c| c.contact_phone.clone(), |c, v| c.contact_phone = v)}
        {text_field("registry.supervisory_unit", "changes.supervisory_unit", "text", |c| c.supervisory_unit.clone(), |c, v| c.supervisory_unit = v)}
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
