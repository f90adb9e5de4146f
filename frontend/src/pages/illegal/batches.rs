//! The bureau assembles the next batch of suspected illegal organizations from the cases under
//! investigation and publishes it (第N批, numbered by the server); the batches published so far.

use domain::api::{IllegalCaseQuery, NewBatchRequest};
use domain::policy::BUREAU_ONLY;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::routes::Page;

#[component]
pub fn IllegalBatchesPage() -> impl IntoView {
    let i18n = use_i18n();
    let batches = LocalResource::new(api::list_illegal_batches);
    let ready = LocalResource::new(|| async {
        let query = IllegalCaseQuery {
            stage: Some("investigating".to_owned()),
            per_page: Some(100),
            ..Default::default()
        };
        api::list_illegal_cases(&query).await
    });
    let chosen = RwSignal::new(Vec::<i64>::new());
    let published_on = RwSignal::new(today().to_string());
    let publish = Action::new_local(move |body: &NewBatchRequest| {
        let body = body.clone();
        async move { api::publish_batch(&body).await }
    });
    Effect::new(move |_| {
        if publish.value().get().is_some_and(|r| r.is_ok()) {
            chosen.set(Vec::new());
            batches.refetch();
            ready.refetch();
        }
    });
    view! {
        <RequireAuth roles=BUREAU_ONLY>
            <section class="page">
                <p><a href=Page::IllegalCases.path()>{move || i18n.t("illegal.back_to_cases")}</a></p>
                <h1>{move || i18n.t("illegal.assemble")}</h1>
                <p class="lead">{move || i18n.t("illegal.assemble_lead")}</p>
                <form class="stack" data-testid="batch-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let on = published_on.get_untracked().parse().unwrap_or_else(|_| today());
                    publish.dispatch(NewBatchRequest { case_ids: chosen.get_untracked(), published_on: on });
                }>
                    <Async resource=ready let:page>
                        {page.items.is_empty().then(|| view! { <p class="notice">{move || i18n.t("illegal.none_ready")}</p> })}
                        <fieldset class="choices" data-testid="batch-cases">
                            <legend>{move || i18n.t("illegal.cases_to_publish")}</legend>
                            {page.items.into_iter().map(|c| {
                                let id = c.id;
                                view! {
                                    <label class="check">
                                        <input type="checkbox" name="case_ids" value=id.to_string()
                                            prop:checked=move || chosen.with(|list| list.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|list| { list.retain(|x| *x != id); if on { list.push(id) } });
                                            } />
                                        {c.name}" · "{c.division_code}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    </Async>
                    <label class="field">
                        <span>{move || i18n.t("illegal.published_on")}</span>
                        <input type="date" name="published_on" prop:value=published_on on:input=move |ev| published_on.set(event_target_value(&ev)) />
                    </label>
                    {move || match publish.value().get() {
                        Some(Ok(batch)) => Some(view! {
                            <p class="notice notice--ok" role="status" data-testid="batch-published">
                                {i18n.t_with("illegal.published", &[("n", batch.number.to_string()), ("count", batch.cases.to_string())])}
                            </p>
                        }.into_any()),
                        Some(Err(e)) => Some(view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> }.into_any()),
                        None => None,
                    }}
                    <button type="submit" class="button button--primary" data-testid="publish-batch"
                        disabled=move || publish.pending().get() || chosen.with(Vec::is_empty)>
                        {move || i18n.t("illegal.publish")}
                    </button>
                </form>
                <h2>{move || i18n.t("illegal.batches")}</h2>
                <Async resource=batches let:list>
                    <ul class="record-list" data-testid="batch-list">
                        {list.into_iter().map(|b| view! {
                            <li class="record">
                                <div class="record__head">
                                    <a href=Page::IllegalCases.with_query(&IllegalCaseQuery { batch: Some(b.number), ..Default::default() })>
                                        <strong>{move || i18n.t_with("illegal.batch_title", &[("n", b.number.to_string())])}</strong>
                                    </a>
                                </div>
                                <div class="record__meta">
                                    <span>{b.published_on.to_string()}</span>
                                    <span>{move || i18n.t_with("illegal.batch_count", &[("count", b.cases.to_string())])}</span>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}
