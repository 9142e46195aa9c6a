// Service worker: keeps the whole build in a versioned cache so the app
// opens and works with no network after one visit. The build hook
// (tools/sw-precache.sh) fills in VERSION and ASSETS.
const VERSION = "__HOSO_VERSION__";
const ASSETS = __HOSO_ASSETS__;
const CACHE = `hoso-${VERSION}`;
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

self.addEventListener("install", (event) => {
  // addAll is all-or-nothing: a half-downloaded version never activates,
  // and the old one keeps serving until the new cache is complete.
  event.waitUntil(
    // Hashed files are immutable and may come from the HTTP cache (no second
    // download on a first visit); unhashed ones are revalidated.
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS.map((a) => (HASHED.test(a) ? a : new Request(a, { cache: "no-cache" })))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("hoso-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The app shell from cache: no waiting on a weak line to show the page.
    event.respondWith(caches.match("/index.html", { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
