// Starts the app; a file of its own because the Content-Security-Policy allows no inline script.
// `cargo xtask dist` fills in the bundle's files.
import init from "./{{bindings}}";

let started = false;
const start = () => {
  if (!started) {
    started = true;
    init({ module_or_path: "/assets/{{wasm}}" });
  }
};

// A visitor's page comes drawn in its HTML (xtask/src/prerender.rs), and the app draws it again when it
// starts. It starts once the browser has shown the drawn page's main content (its largest paint is
// reported), so that what a phone shows first is never held back by the app however fast the wasm comes,
// and never replaced before it was shown; at the latest a second on. Pages without drawn content, and
// browsers that do not report their paints, start at once.
const main = document.querySelector("main");
const reports = globalThis.PerformanceObserver?.supportedEntryTypes?.includes("largest-contentful-paint");
if (main && main.firstElementChild && reports) {
  new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => main.contains(entry.element))) start();
  }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(start, 1000);
} else {
  start();
}
