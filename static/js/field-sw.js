// Service worker of the field app (gate scanner, point of sale), served at /field-sw.js with
// the scope "/". The server puts a first line before this file:
//
//   const FIELD = {"version": "<hash of the shell>", "shell": [...], "pages": [...], "offline": "/offline", "home": "/"};
//
// so that any change to the shell makes a new worker. A new worker installs in the background
// (it downloads the new shell into its own cache) and waits: it takes over at the next start of
// the app, when no page uses the old one, so never in the middle of a queue sync.
//
// For same-origin GET requests only (writes always go to the network; the pages' IndexedDB
// queue keeps them while offline):
//   * the shell pages (FIELD.pages, e.g. /scanner, any ?lang=): the cached shell, one copy for
//     every language (the language is chosen in the app and kept on the phone);
//   * the home page: network first, the cached copy when offline;
//   * /static/ and /vendor/ files: cache first (their URLs carry a version), kept once fetched,
//     so that the camera decoder is downloaded once per version and only when the camera starts;
//   * URLs a page asked to keep ({type: "precache", urls}, used by the point of sale):
//     network first, the cached copy when offline;
//   * any other page that fails offline: the offline page.

/* global FIELD */
const SHELL_CACHE = `souk-shell-${FIELD.version}`;
const ASSET_CACHE = "souk-assets-v1";
const PAGE_CACHE = "souk-field-v1";
const ASSET_PREFIXES = ["/static/", "/vendor/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) =>
      // The shell must be complete; the home page is a bonus (kept fresh when visited online).
      cache.addAll(FIELD.shell).then(() => cache.add(FIELD.home).catch(() => null)),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("souk-shell-") && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "version" && event.ports[0]) {
    // Which shell this worker serves (the app shows it; tests check who controls a page).
    event.ports[0].postMessage({ type: "version", version: FIELD.version });
    return;
  }
  if (message.type === "precache" && Array.isArray(message.urls)) {
    const work = caches.open(PAGE_CACHE).then((cache) =>
      Promise.all(
        message.urls.map((url) =>
          fetch(url, { credentials: "same-origin", cache: "no-store" })
            .then((response) => (response.ok ? cache.put(url, response) : null))
            .catch(() => null),
        ),
      ),
    );
    event.waitUntil(work.then(() => event.source && event.source.postMessage({ type: "precached" })));
  }
});

function isAsset(url) {
  return ASSET_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

async function fromShell(request) {
  const cache = await caches.open(SHELL_CACHE);
  return cache.match(request, { ignoreSearch: true, ignoreVary: true });
}

async function offlinePage() {
  return (await fromShell(new Request(FIELD.offline))) || Response.error();
}

async function networkFirst(request, cacheName, fallback, onlyIfKept = false) {
  const cache = await caches.open(cacheName);
  const kept = onlyIfKept ? await cache.match(request, { ignoreVary: true }) : null;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected && (!onlyIfKept || kept)) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = (await cache.match(request, { ignoreVary: true })) || (await fromShell(request));
    return cached || (fallback ? fallback() : Response.error());
  }
}

async function cacheFirst(request) {
  const shell = await caches.open(SHELL_CACHE);
  const assets = await caches.open(ASSET_CACHE);
  const pages = await caches.open(PAGE_CACHE); // files a page asked to keep (the point of sale's)
  const cached =
    (await shell.match(request, { ignoreVary: true })) ||
    (await assets.match(request, { ignoreVary: true })) ||
    (await pages.match(request, { ignoreVary: true }));
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await assets.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isAsset(url)) {
    event.respondWith(cacheFirst(request));
  } else if (FIELD.pages.includes(url.pathname)) {
    event.respondWith(fromShell(request).then((cached) => cached || networkFirst(request, PAGE_CACHE, offlinePage)));
  } else if (url.pathname === FIELD.home) {
    event.respondWith(networkFirst(request, SHELL_CACHE, offlinePage));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, PAGE_CACHE, offlinePage, true));
  } else {
    event.respondWith(
      caches
        .open(PAGE_CACHE)
        .then((cache) => cache.match(request, { ignoreVary: true }))
        .then((cached) => (cached ? networkFirst(request, PAGE_CACHE) : fetch(request))),
    );
  }
});
