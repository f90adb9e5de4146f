//! Registers the service worker (`/sw.js`, written by `cargo xtask dist` from `frontend/sw.js`), which
//! keeps the workspace bundle so that the app — above all an organization's report form — opens with no
//! network after one visit. Only the workspace bundle registers it: a visitor's first visit downloads
//! nothing more.
//!
//! A new release's worker waits until every tab of the app is closed (the browser's default; the worker
//! neither skips waiting nor claims open pages, and the app never reloads itself for it): a release takes
//! effect on the next visit, never halfway through a report.

use wasm_bindgen::JsValue;

/// Registers `/sw.js` for the whole origin where the browser has service workers (secure origins only).
pub fn register() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .is_ok_and(|container| !container.is_undefined());
    if !available {
        return;
    }
    let registered = navigator.service_worker().register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        // Without a worker the app still works, only not offline: nothing to tell the user.
        let _ = wasm_bindgen_futures::JsFuture::from(registered).await;
    });
}
