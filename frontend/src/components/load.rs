//! `<Async>`: the one loading / error / retry block. While a resource loads it shows `Loading` (keeping the
//! previous content, as `<Transition>` does); a failed request shows the shared `ApiError` in Chinese, field by
//! field, with a retry button; a view that renders an error value is caught by an error boundary.

use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;

use crate::api;
use crate::components::notice::{ErrorNotice, Loading};

/// Shows `children(value)` once `resource` has loaded, and the error with a retry button if it failed.
///
/// ```ignore
/// <Async resource=rows let:page>
///     <p>{page.total}</p>
/// </Async>
/// ```
#[component]
pub fn Async<T, Chil, V>(resource: LocalResource<api::Result<T>>, children: Chil) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Chil: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    let content = move || {
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match resource.await {
                Ok(value) => Either::Left(children(value)),
                Err(error) => {
                    Either::Right(view! { <ErrorNotice error on_retry=move || resource.refetch() /> })
                }
            }
        })
    };
    view! { <Transition fallback=Loading>{boundary(content, resource)}</Transition> }
}

/// The workspace pages render error values inside their views: an error boundary shows them with a retry.
#[cfg(feature = "workspace")]
fn boundary<T: Send + Sync + 'static>(
    content: impl IntoView + 'static,
    resource: LocalResource<api::Result<T>>,
) -> impl IntoView {
    use crate::i18n::use_i18n;
    let i18n = use_i18n();
    view! {
        <ErrorBoundary fallback=move |errors| view! {
            <div class="notice notice--error" role="alert">
                <strong>{move || i18n.t("common.error")}</strong>
                <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                <button type="button" on:click=move |_| resource.refetch()>{move || i18n.t("common.retry")}</button>
            </div>
        }>
            {content}
        </ErrorBoundary>
    }
}

/// The public bundle stays small: its few pages render no error values, so they go without the boundary.
#[cfg(not(feature = "workspace"))]
fn boundary<T: Send + Sync + 'static>(
    content: impl IntoView + 'static,
    _resource: LocalResource<api::Result<T>>,
) -> impl IntoView {
    content
}
