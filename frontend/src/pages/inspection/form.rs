//! The report form: finances typed in 元 and sent as fen (`domain::money`), activities, party building,
//! the fees charged to members and the officers. It checks as the user types with the server's own rules
//! (`ReportInput::validate_draft`, and `validate_submission` once the user tries to send it); a draft is
//! kept until submitted.

use domain::api::{FieldError, ReportInput, SaveReportRequest};
use domain::inspection::{MemberFee, Officer, ReportStage};
use domain::money::Fen;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::field::field_error;
use crate::i18n::use_i18n;
use crate::routes::Page;

/// One fee row, each cell its own signal so that typing never rebuilds the list.
#[derive(Clone, Copy)]
struct FeeRow {
    key: u32,
    item: RwSignal<String>,
    amount: RwSignal<String>,
    payers: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct OfficerRow {
    key: u32,
    name: RwSignal<String>,
    position: RwSignal<String>,
}

/// What the form holds.
#[derive(Clone, Copy)]
struct Draft {
    revenue: RwSignal<String>,
    expenses: RwSignal<String>,
    net_assets: RwSignal<String>,
    activities: RwSignal<String>,
    party_building: RwSignal<String>,
    fees: RwSignal<Vec<FeeRow>>,
    officers: RwSignal<Vec<OfficerRow>>,
    next_key: StoredValue<u32>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            revenue: RwSignal::new(String::new()),
            expenses: RwSignal::new(String::new()),
            net_assets: RwSignal::new(String::new()),
            activities: RwSignal::new(String::new()),
            party_building: RwSignal::new(String::new()),
            fees: RwSignal::new(Vec::new()),
            officers: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        }
    }

    fn key(&self) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    fn add_fee(&self, fee: Option<&MemberFee>) {
        let row = FeeRow {
            key: self.key(),
            item: RwSignal::new(fee.map(|f| f.item.clone()).unwrap_or_default()),
            amount: RwSignal::new(
                fee.map(|f| Fen::new(f.amount_fen).to_string())
                    .unwrap_or_default(),
            ),
            payers: RwSignal::new(fee.map(|f| f.payers.to_string()).unwrap_or_default()),
        };
        self.fees.update(|rows| rows.push(row));
    }

    fn add_officer(&self, officer: Option<&Officer>) {
        let row = OfficerRow {
            key: self.key(),
            name: RwSignal::new(officer.map(|o| o.name.clone()).unwrap_or_default()),
            position: RwSignal::new(officer.map(|o| o.position.clone()).unwrap_or_default()),
        };
        self.officers.update(|rows| rows.push(row));
    }

    /// Starts from what was saved before.
    fn fill(&self, saved: &ReportInput) {
        let yuan = |fen: i64| Fen::new(fen).to_string();
        self.revenue.set(yuan(saved.revenue_fen));
        self.expenses.set(yuan(saved.expenses_fen));
        self.net_assets.set(yuan(saved.net_assets_fen));
        self.activities.set(saved.activities.clone());
        self.party_building.set(saved.party_building.clone());
        saved.member_fees.iter().for_each(|fee| self.add_fee(Some(fee)));
        saved.officers.iter().for_each(|o| self.add_officer(Some(o)));
    }

    /// The report as the server reads it, and every problem with it: amounts that are not amounts (a blank
    /// one counts as nothing), then the domain's checks for a draft or a submission.
    fn checked(&self, submit: bool) -> (ReportInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut money = |field: &str, raw: String, signed: bool| -> i64 {
            if raw.trim().is_empty() {
                return 0;
            }
            let parsed = if signed {
                Fen::from_signed_yuan_str(&raw)
            } else {
                Fen::from_yuan_str(&raw)
            };
            parsed.map(Fen::as_i64).unwrap_or_else(|e| {
                errors.push(FieldError {
                    field: field.to_owned(),
                    message: e.to_string(),
                });
                0
            })
        };
        let revenue_fen = money("revenue_fen", self.revenue.get(), false);
        let expenses_fen = money("expenses_fen", self.expenses.get(), false);
        let net_assets_fen = money("net_assets_fen", self.net_assets.get(), true);
        let member_fees = self
            .fees
            .get()
            .iter()
            .enumerate()
            .map(|(i, row)| MemberFee {
                item: row.item.get().trim().to_owned(),
                amount_fen: money(&format!("member_fees[{i}].amount_fen"), row.amount.get(), false),
                payers: row.payers.get().trim().parse().unwrap_or(0),
            })
            .collect();
        let officers = self
            .officers
            .get()
            .iter()
            .map(|row| Officer {
                name: row.name.get().trim().to_owned(),
                position: row.position.get().trim().to_owned(),
            })
            .collect();
        let input = ReportInput {
            revenue_fen,
            expenses_fen,
            net_assets_fen,
            activities: self.activities.get().trim().to_owned(),
            party_building: self.party_building.get().trim().to_owned(),
            member_fees,
            officers,
        };
        let rules = if submit {
            input.validate_submission()
        } else {
            input.validate_draft()
        };
        errors.extend(rules.err().unwrap_or_default());
        (input, errors)
    }
}

/// The form for the report on `year`, starting from `saved` (what was kept before, if anything).
#[component]
pub(super) fn ReportForm(
    year: i32,
    saved: Option<ReportInput>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = Draft::new();
    if let Some(saved) = &saved {
        draft.fill(saved);
    }
    // The submission's checks show once the user has tried to send the report.
    let tried = RwSignal::new(false);
    let problems = Memo::new(move |_| draft.checked(tried.get()).1);
    let save = Action::new_local(move |submit: &bool| {
        let body = SaveReportRequest {
            report: untrack(|| draft.checked(*submit).0),
            submit: *submit,
        };
        async move { api::save_my_report(year, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(report)) = save.value().get() {
            on_saved.run(());
            // Sent: the report's own page shows where it stands.
            if report.stage == ReportStage::Submitted {
                navigate(&Page::report(report.id), Default::default());
            }
        }
    });
    let error_of = move |field: &'static str| {
        field_error(move || {
            problems.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()))
        })
    };
    let submit = move || {
        tried.set(true);
        if untrack(|| draft.checked(true).1.is_empty()) {
            save.dispatch(true);
        }
    };
    view! {
        <form class="stack" data-testid="report-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || i18n.t_with("inspection.form_title", &[("year", year.to_string())])}</h2>
            <fieldset class="choices stack">
                <legend>{move || i18n.t("inspection.finances")}</legend>
                {money_field("inspection.revenue", "revenue", draft.revenue, error_of("revenue_fen"))}
                {money_field("inspection.expenses", "expenses", draft.expenses, error_of("expenses_fen"))}
                {money_field("inspection.net_assets", "net_assets", draft.net_assets, error_of("net_assets_fen"))}
            </fieldset>
            {text_area("inspection.activities", "activities", draft.activities, error_of("activities"))}
            {text_area("inspection.party_building", "party_building", draft.party_building, error_of("party_building"))}
            <FeeRows draft problems />
            <OfficerRows draft problems />
            {field_error(move || problems.with(|all| all.iter().find(|e| e.field == "officers").map(|e| e.message.clone())))}
            {move || save.value().get().map(|answer| match answer {
                Ok(report) => view! {
                    <p class="notice notice--ok" role="status" data-testid="report-saved">
                        {move || i18n.t_with("inspection.saved", &[("stage", i18n.label(report.stage).to_owned())])}
                    </p>
                }.into_any(),
                Err(error) => view! { <p class="notice notice--error" role="alert">{error.message(&i18n)}</p> }.into_any(),
            })}
            <div class="form-actions">
                <button type="button" class="button" data-testid="save-draft"
                    disabled=move || save.pending().get() || !draft.checked(false).1.is_empty()
                    on:click=move |_| { save.dispatch(false); }>
                    {move || i18n.t("inspection.save_draft")}
                </button>
                <button type="submit" class="button button--primary" data-testid="submit-report"
                    disabled=move || save.pending().get()>
                    {move || i18n.t("inspection.submit")}
                </button>
            </div>
        </form>
    }
}

fn money_field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <input name=name type="text" inputmode="decimal" autocomplete="off" placeholder="0.00"
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            {error}
        </label>
    }
}

fn text_area(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <textarea name=name rows="4" maxlength="5000" prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            {error}
        </label>
    }
}

/// The message for `field` among `problems`.
fn problem(problems: Memo<Vec<FieldError>>, field: String) -> impl Fn() -> Option<AnyView> + Send + Sync {
    field_error(move || problems.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone())))
}

/// 收费情况: each fee charged to members — item, 元 per member and year, how many paid.
#[component]
fn FeeRows(draft: Draft, problems: Memo<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let index_of = move |key: u32| {
        draft
            .fees
            .with(|rows| rows.iter().position(|r| r.key == key))
            .unwrap_or(0)
    };
    view! {
        <fieldset class="choices stack" data-testid="member-fees">
            <legend>{move || i18n.t("inspection.member_fees")}</legend>
            <For each=move || draft.fees.get() key=|row| row.key let:row>
                {
                    let i = move || index_of(row.key);
                    view! {
                        <div class="row-form">
                            <label class="field">
                                <span>{move || i18n.t("inspection.fee_item")}</span>
                                <input name=move || format!("member_fees[{}].item", i()) maxlength="60"
                                    prop:value=row.item on:input=move |ev| row.item.set(event_target_value(&ev)) />
                                {move || problem(problems, format!("member_fees[{}].item", i()))()}
                            </label>
                            <label class="field">
                                <span>{move || i18n.t("inspection.fee_amount")}</span>
                                <input name=move || format!("member_fees[{}].amount", i()) inputmode="decimal" placeholder="0.00"
                                    prop:value=row.amount on:input=move |ev| row.amount.set(event_target_value(&ev)) />
                                {move || problem(problems, format!("member_fees[{}].amount_fen", i()))()}
                            </label>
                            <label class="field">
                                <span>{move || i18n.t("inspection.fee_payers")}</span>
                                <input name=move || format!("member_fees[{}].payers", i()) inputmode="numeric"
                                    prop:value=row.payers on:input=move |ev| row.payers.set(event_target_value(&ev)) />
                            </label>
                            <button type="button" class="button" on:click=move |_| draft.fees.update(|rows| rows.retain(|r| r.key != row.key))>
                                {move || i18n.t("inspection.remove_row")}
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="button" data-testid="add-fee" on:click=move |_| draft.add_fee(None)>
                {move || i18n.t("inspection.add_fee")}
            </button>
        </fieldset>
    }
}

/// 负责人: each officer's name and position.
#[component]
fn OfficerRows(draft: Draft, problems: Memo<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let index_of = move |key: u32| {
        draft
            .officers
            .with(|rows| rows.iter().position(|r| r.key == key))
            .unwrap_or(0)
    };
    view! {
        <fieldset class="choices stack" data-testid="officers">
            <legend>{move || i18n.t("inspection.officers")}</legend>
            <For each=move || draft.officers.get() key=|row| row.key let:row>
                {
                    let i = move || index_of(row.key);
                    view! {
                        <div class="row-form">
                            <label class="field">
                                <span>{move || i18n.t("inspection.officer_name")}</span>
                                <input name=move || format!("officers[{}].name", i()) maxlength="30"
                                    prop:value=row.name on:input=move |ev| row.name.set(event_target_value(&ev)) />
                                {move || problem(problems, format!("officers[{}].name", i()))()}
                            </label>
                            <label class="field">
                                <span>{move || i18n.t("inspection.officer_position")}</span>
                                <input name=move || format!("officers[{}].position", i()) maxlength="30"
                                    prop:value=row.position on:input=move |ev| row.position.set(event_target_value(&ev)) />
                                {move || problem(problems, format!("officers[{}].position", i()))()}
                            </label>
                            <button type="button" class="button" on:click=move |_| draft.officers.update(|rows| rows.retain(|r| r.key != row.key))>
                                {move || i18n.t("inspection.remove_row")}
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="button" data-testid="add-officer" on:click=move |_| draft.add_officer(None)>
                {move || i18n.t("inspection.add_officer")}
            </button>
        </fieldset>
    }
}
