//! Polling: while something is under way on the server (a job queued or running), look again about once a
//! second — not while the tab is hidden — and stop when it is over or when the view that asked goes away.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;

/// How often a view looks again at work under way.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// Calls `tick` every [`POLL_EVERY`] while `active()` is true (read reactively); the interval is cleared
/// when `active()` turns false and when the calling view is disposed.
pub fn poll_while(active: impl Fn() -> bool + 'static, tick: impl Fn() + Clone + 'static) {
    let handle: Arc<Mutex<Option<IntervalHandle>>> = Arc::default();
    let stop = {
        let handle = Arc::clone(&handle);
        move || {
            if let Some(interval) = handle.lock().ok().and_then(|mut h| h.take()) {
                interval.clear();
            }
        }
    };
    on_cleanup(stop.clone());
    Effect::new(move |_| {
        if !active() {
            stop();
            return;
        }
        let Ok(mut slot) = handle.lock() else { return };
        if slot.is_none() {
            let tick = tick.clone();
            let visible_tick = move || {
                if !document().hidden() {
                    tick();
                }
            };
            *slot = set_interval_with_handle(visible_tick, POLL_EVERY).ok();
        }
    });
}
