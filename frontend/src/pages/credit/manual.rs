//! Staff list an organization by hand: found by name, with a reason the rules do not apply themselves
//! (never a missing annual report, never two years on the abnormal list), the decision's date and the
//! event with its document.

use domain::api::{NewListingRequest, OrganizationSummary};
use domain::credit::{ListingReason, check_manual_listing};
use leptos::prelude::*;

use crate::api;
use crate::components::field::field_error;
use crate::components::organization_picker::OrganizationPicker;
use crate::i18n::use_i18n;
use crate::routes::non_empty;

/// The reasons staff may give by hand.
fn manual_reasons() -> impl Iterator<Item = ListingReason> {
    ListingReason::ALL.into_iter().filter(|reason| {
        !matches!(
            reason,
            ListingReason::AnnualReportMissing | ListingReason::AbnormalForTwoYears
        )
    })
}

#[component]
pub(super) fn NewListing(on_listed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<OrganizationSummary>);
    let reason = RwSignal::new(ListingReason::Unreachable);
    let decided_on = RwSignal::new(crate::format::today().to_string());
    let event = RwSignal::new(String::new());
    let problem = Memo::new(move |_| match decided_on.get().parse() {
        Ok(on) => check_manual_listing(reason.get(), on, crate::format::today())
            .err()
            .map(|e| e.message),
        Err(_) => Some(i18n.t("credit.date_needed")),
    });
    let list = Action::new_local(move |body: &NewListingRequest| {
        let body = body.clone();
        async move { api::create_listing(&body).await }
    });
    Effect::new(move |_| {
        if matches!(list.value().get(), Some(Ok(_))) {
            chosen.set(None);
            event.set(String::new());
            on_listed.run(());
        }
    });
    let request = move || {
        Some(NewListingRequest {
            organization_id: chosen.get()?.id,
            reason: reason.get(),
            decided_on: decided_on.get().parse().ok()?,
            event: non_empty(event.get())?,
        })
    };
    view! {
        <details class="fold" data-testid="new-listing">
            <summary>{move || i18n.t("credit.list_by_hand")}</summary>
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(body) = untrack(request).filter(|_| problem.get_untracked().is_none()) { list.dispatch(body); }
            }>
                <OrganizationPicker chosen />
                <label class="field">
                    <span>{move || i18n.t("credit.reason")}</span>
                    <select name="reason" on:change=move |ev| {
                        if let Ok(r) = ListingReason::parse(&event_target_value(&ev)) { reason.set(r) }
                    }>
                        {manual_reasons().map(|r| view! {
                            <option value=r.key() selected=move || reason.get() == r>{move || i18n.label(r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("credit.decided_on")}</span>
                    <input type="date" name="decided_on" prop:value=decided_on on:input=move |ev| decided_on.set(event_target_value(&ev)) />
                    {field_error(move || problem.get())}
                </label>
                <label class="field">
                    <span>{move || i18n.t("credit.event")}</span>
                    <textarea name="event" rows="2" maxlength="500" prop:value=event on:input=move |ev| event.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="button button--primary" data-testid="create-listing"
                    disabled=move || request().is_none() || problem.get().is_some() || list.pending().get()>
                    {move || i18n.t("credit.list_it")}
                </button>
                {move || list.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
            </form>
        </details>
    }
}
