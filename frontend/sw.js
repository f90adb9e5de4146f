// 社管's service worker: the organization user's app opens with no network once it has been opened one
// time.
//
// `cargo xtask dist` writes this file to dist/sw.js, filling in the release's version and the files of
// the organization bundle that open the report form (its page and the manifest; its content-hashed
// JavaScript, main module and the report form's chunks, style, icons).
//
// - Install: the release's files go into a cache of its own (`sheguan-shell-<version>`).
// - Pages (navigations): the network first; after a few seconds without an answer, or with none at all,
//   the cached organization page (it has every page an organization user works in, and the app reads its
//   data itself; any other page tells the user it needs the network).
// - `/assets/*` (hashed, never changing) and the manifest: the cache first, the network for anything not
//   in it; the organization bundle's other chunks (its other pages' code) are kept once fetched.
// - Anything else, `/api/` above all (personal data, `Cache-Control: no-store`), is not touched: it goes
//   to the network as if there were no worker, and fails when the network does.
//
// Updates: a new release's worker installs beside the running one and waits (no `skipWaiting`, no
// `clients.claim`) until every tab of the app is closed; the next visit runs it, and it then deletes the
// older releases' caches. A report being typed is never interrupted by a new release.

const VERSION = "{{version}}";
const SHELL = "sheguan-shell-" + VERSION;
const PAGE = "{{page}}";
const PRECACHE = {{precache}};
/// The organization bundle's files (the other bundles' are never kept).
const ORGANIZATION_ASSETS = "/assets/organization-";
/// How long a page waits for the network before the cached page is shown (a weak signal).
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("sheguan-shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/api" || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/assets/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(asset(request));
  }
});

/// The network's page, or the cached organization page when the network fails or is too slow.
async function page(request) {
  const network = fetch(request);
  // Handled below or abandoned for the cached page: either way not an unhandled rejection.
  network.catch(() => undefined);
  let answered;
  try {
    answered = await Promise.race([network, delay(NAVIGATION_TIMEOUT_MS)]);
  } catch (_) {
    answered = undefined;
  }
  if (answered && answered.status < 500) {
    return answered;
  }
  const cached = await caches.match(PAGE, { cacheName: SHELL });
  return cached || answered || network;
}

/// A file of the release: from the cache when the release has it, else from the network. A chunk of the
/// organization bundle (a page's code, fetched when the page first opens) is kept once fetched, so that
/// the pages an organization user has opened open offline too.
async function asset(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  const answer = await fetch(request);
  if (answer.ok && new URL(request.url).pathname.startsWith(ORGANIZATION_ASSETS)) {
    cache.put(request, answer.clone()).catch(() => undefined);
  }
  return answer;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
