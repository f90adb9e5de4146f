//! `<Async>`: the one loading / error / retry block. While a resource loads it shows `Loading` (keeping the
//! previous content, as `<Transition>` does); a failed request shows the shared `ApiError` in Chinese, field by
//! field, with a retry button; a view that renders an error value is caught by an error boundary.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api;
use crate::components::notice::{ErrorNotice, Loading};

/// Shows `children(value)` once `resource` has loaded, and the error with a retry button if it failed.
///
/// ```text
/// <Async resource=rows let:page>
///     <p>{page.total}</p>
/// </Async>
/// ```
///
/// Only the small part that knows `T` is generic; the transition, the boundary and the error notice are
/// compiled once for every page (views are erased to `AnyView`), which keeps the public bundle small.
#[component]
pub fn Async<T, Chil, V>(resource: LocalResource<api::Result<T>>, children: Chil) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Chil: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    let retry = Callback::new(move |()| resource.refetch());
    let content: Content = Arc::new(move || {
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match resource.await {
                Ok(value) => children(value).into_any(),
                Err(error) => failed(error, retry),
            }
        })
    });
    frame(content, retry)
}

/// What a page shows once its resource has settled.
type Content = Arc<dyn Fn() -> Suspend<AnyView> + Send + Sync>;

fn failed(error: api::Error, retry: Callback<()>) -> AnyView {
    view! { <ErrorNotice error on_retry=retry /> }.into_any()
}

fn frame(content: Content, retry: Callback<()>) -> AnyView {
    view! { <Transition fallback=Loading>{boundary(move || content(), retry)}</Transition> }.into_any()
}

/// The signed-in pages render error values inside their views: an error boundary shows them with a retry.
#[cfg(feature = "organization")]
fn boundary(
    content: impl Fn() -> Suspend<AnyView> + Send + Sync + 'static,
    retry: Callback<()>,
) -> impl IntoView {
    use crate::i18n::use_i18n;
    let i18n = use_i18n();
    view! {
        <ErrorBoundary fallback=move |errors| view! {
            <div class="notice notice--error" role="alert">
                <strong>{move || i18n.t("common.error")}</strong>
                <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                <button type="button" on:click=move |_| retry.run(())>{move || i18n.t("common.retry")}</button>
            </div>
        }>
            {content}
        </ErrorBoundary>
    }
}

/// The public bundle stays small: its few pages render no error values, so they go without the boundary.
#[cfg(not(feature = "organization"))]
fn boundary(
    content: impl Fn() -> Suspend<AnyView> + Send + Sync + 'static,
    _retry: Callback<()>,
) -> impl IntoView {
    content
}
