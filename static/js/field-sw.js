// Service worker of the field pages (gate scanner, point of sale), served at /field-sw.js
// with the scope "/". Generic: a page tells it what to keep for offline use:
//
//   navigator.serviceWorker.register("/field-sw.js", { scope: "/" });
//   navigator.serviceWorker.ready.then((registration) =>
//     registration.active.postMessage({ type: "precache", urls: [location.pathname, "/static/js/..."] }));
//
// Strategy, for same-origin GET requests only (writes always go to the network; the page's
// IndexedDB queue keeps them while offline):
//   * URLs that were precached (pages, API reads such as keys or products): network first,
//     the cached copy refreshed on success and served when the network fails;
//   * /static/ and /vendor/ assets: cache first, refreshed in the background;
//   * everything else: the network, untouched.

const CACHE = "souk-field-v1";
const ASSET_PREFIXES = ["/static/", "/vendor/"];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("souk-field-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "precache" && Array.isArray(message.urls)) {
    const work = caches.open(CACHE).then((cache) =>
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

async function networkFirst(request, cache, cached) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, cache, cached) {
  const refresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => null);
  return cached || (await refresh) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request, { ignoreVary: true });
      if (isAsset(url)) return cacheFirst(request, cache, cached);
      if (cached) return networkFirst(request, cache, cached);
      return fetch(request);
    })(),
  );
});
