// TrainLab's cross-origin isolation service worker, for static hosts that cannot send headers
// (GitHub Pages, a plain file server). It adds COOP same-origin + COEP require-corp to the site's
// own responses, which makes the page cross-origin isolated: SharedArrayBuffer, and with it the
// threaded wasm build (src/training/wasm-threads.ts). Registered by src/cross-origin-isolation.ts
// only where the page is not isolated already; the headers match ISOLATION_HEADERS in vite.config.ts.
//
// It caches nothing: every request goes to the network as the page made it (the browser's HTTP
// cache applies as usual), so a new build is never hidden behind an old copy. It is registered with
// updateViaCache 'none', so a new version of this file is picked up on the next visit.
const HEADERS = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Other origins keep their own headers (the site loads nothing from them today).
  if (new URL(request.url).origin !== self.location.origin) return;
  // A fetch the browser may only answer from its cache (devtools): let it through untouched.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(isolated(request));
});

/** The network's response with the isolation headers added where the host did not send them. */
async function isolated(request) {
  const response = await fetch(request);
  // Opaque responses and manual redirects cannot be rebuilt (and need no headers).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  if (HEADERS.every(([name]) => response.headers.has(name))) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of HEADERS) if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
