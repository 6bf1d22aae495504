// The browser tests that need a cross-origin isolated page (SharedArrayBuffer, the wasm backend's
// threaded build): the same server and browser as web-test-runner.config.mjs, with the COOP/COEP
// headers the site sends (vite.config.ts, public/coi-sw.js) on every response. Run by `npm test`.
import base from './web-test-runner.config.mjs';

export default {
  ...base,
  files: ['test/isolated/**/*.test.ts'],
  middleware: [
    (ctx, next) => {
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
      return next();
    },
    ...base.middleware,
  ],
};
