import { defineConfig, type Plugin } from 'vite';

type Policy = Record<string, readonly string[]>;

/**
 * The Content-Security-Policy of the built site: scripts, workers, styles, fonts and fetches from
 * the page's own origin only, nothing inline, no eval. This one definition is both the <meta> that
 * `vite build` writes into index.html and the header `vite preview` sends (the e2e suite runs under
 * it and fails on any violation). Later features keep to it: fix the code rather than loosen this.
 */
const CSP: Policy = {
  'default-src': ["'none'"], // whatever is not listed below is refused
  // Module scripts from our origin; no inline script and never 'unsafe-eval'. 'wasm-unsafe-eval'
  // lets WebAssembly compile (tfjs's wasm backend, in the training worker) and allows no JS eval; it
  // is in the page's policy too for browsers where a worker inherits the page's policy.
  // blob:: tfjs-backend-wasm's threaded build (used where the page is cross-origin isolated) starts
  // its pthread workers from blob: URLs and each one importScripts() the emscripten glue from
  // another blob: URL; both are made by our own code in the training worker (a blob: URL carries
  // its creator's origin), never fetched, so this admits no script from elsewhere.
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:'],
  // 'self': our module workers: training, datasets (built-in, tables, images), Compare figures and
  // comparison.zip; the service worker public/coi-sw.js. blob:: the wasm pthread workers (above), and
  // the MLP step's helper workers (src/training/wasm-kernels/matmul-pool.ts), made the same way.
  'worker-src': ["'self'", 'blob:'],
  // The built stylesheet (src/page.css). Lit's `static styles` and uPlot's CSS are constructed stylesheets
  // (adoptedStyleSheets) and colours computed at run time are CSSOM writes (style-props.ts, uPlot's
  // element.style), none of which CSP restricts; style attributes and <style> elements are refused.
  'style-src': ["'self'"],
  // 'self': the favicon. blob:: previews of the exported figures are object URLs of their PNGs in
  // <img>. (Downloads are <a download href="blob:…"> clicks: navigations, which CSP leaves alone.)
  'img-src': ["'self'", 'blob:'],
  // No CSS loads a font today: the figures' fonts are fetched, then given to FontFace as ArrayBuffers.
  'font-src': ["'self'"],
  'connect-src': ["'self'"], // fetch: datasets, figure fonts and the tfjs wasm binaries, all from this site
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"], // the one form (rename/tag in Runs) is handled in script, never submitted
};

/**
 * Only a header can carry these. `frame-ancestors 'none'`: no other site may frame the lab.
 * A static host should send the header (CSP_HEADER) too: with the <meta> alone, Chromium gives the
 * workers no policy at all (a worker takes its policy from its own response, not from the page).
 */
const HEADER_ONLY: Policy = { 'frame-ancestors': ["'none'"] };

/**
 * The dev server's relaxations, never in the built site: Vite's dev client injects <style> elements
 * (CSS imported from modules, its error overlay), hence 'unsafe-inline' styles, and talks to the
 * server over a WebSocket for hot reload (CSP Level 3 browsers match it with 'self' already).
 */
function devPolicy(host: string | undefined): Policy {
  return {
    ...CSP,
    ...HEADER_ONLY,
    'style-src': [...CSP['style-src'], "'unsafe-inline'"],
    'connect-src': [...CSP['connect-src'], ...(host ? [`ws://${host}`] : [])],
  };
}

function serialize(policy: Policy): string {
  return Object.entries(policy).map(([directive, sources]) => [directive, ...sources].join(' ')).join('; ');
}

/**
 * Cross-origin isolation: with these two headers the page and its workers get SharedArrayBuffer,
 * which tfjs-backend-wasm's threaded build needs (src/training/wasm-threads.ts). require-corp (not
 * credentialless): everything the site loads is its own, so no response needs a CORP header.
 * Static hosts that cannot send headers get them from public/coi-sw.js (src/cross-origin-isolation.ts).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

const CSP_META = serialize(CSP);
const CSP_HEADER = serialize({ ...CSP, ...HEADER_ONLY });

/**
 * Writes the policy into the built index.html in place of its marker comment. Only at build time:
 * a <meta> policy also binds the dev server's page, and Vite's dev client needs the relaxations
 * above, which the dev server sends as a header instead.
 */
function contentSecurityPolicy(): Plugin {
  const marker = /<!-- content-security-policy:[\s\S]*?-->/;
  return {
    name: 'trainlab:content-security-policy',
    transformIndexHtml(html, ctx) {
      if (ctx.server) return html;
      if (!marker.test(html)) throw new Error('index.html lacks the <!-- content-security-policy: … --> marker');
      return html.replace(marker, `<meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', serialize(devPolicy(req.headers.host)));
        next();
      });
    },
  };
}

/**
 * @stdlib/stats-ttest2's continued fractions and series ask @stdlib/assert-has-generator-support
 * whether `function*` exists, by eval-ing one: under the policy that is a violation (and stdlib
 * takes its fallback). Every browser this site targets (ES2022) has generators: the probe is
 * replaced by its answer, in the build (Rollup) and in the dev server's dependency bundle (esbuild).
 */
const GENERATOR_PROBE = /[\\/]@stdlib[\\/]assert-has-generator-support[\\/]lib[\\/]main\.js$/;
const GENERATOR_ANSWER = "'use strict';\nmodule.exports = function hasGeneratorSupport() { return true; };\n";

function noEvalInDependencies(): Plugin {
  return {
    name: 'trainlab:no-eval-in-dependencies',
    enforce: 'pre',
    load: (id) => (GENERATOR_PROBE.test(id.split('?')[0]) ? GENERATOR_ANSWER : null),
  };
}

// Relative base so the built site works from any static host path (GitHub Pages, a file server).
export default defineConfig({
  base: './',
  plugins: [contentSecurityPolicy(), noEvalInDependencies()],
  worker: { format: 'es', plugins: () => [noEvalInDependencies()] },
  optimizeDeps: {
    esbuildOptions: {
      plugins: [
        {
          name: 'trainlab:no-eval-in-dependencies',
          setup(build) {
            build.onLoad({ filter: GENERATOR_PROBE }, () => ({ contents: GENERATOR_ANSWER, loader: 'js' }));
          },
        },
      ],
    },
  },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  server: { host: 'localhost', port: 5173, headers: { ...ISOLATION_HEADERS } },
  preview: { host: 'localhost', port: 4173, headers: { 'Content-Security-Policy': CSP_HEADER, ...ISOLATION_HEADERS } },
});
