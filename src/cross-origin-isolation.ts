// Makes the page cross-origin isolated on static hosts that cannot send COOP/COEP (vite.config.ts
// sends them in dev and preview): registers public/coi-sw.js, which adds them to the site's own
// responses, and reloads once when it first takes control. Does nothing where the page is isolated
// already. Imported first by src/main.ts, before the app reads or rewrites the address.
import { defaultBaseUrl } from './training/datasets/errors';
import { IsolationStep, isolationStep } from './isolation-plan';

const RELOADED = 'trainlab:isolation-reload';
// The address as loaded: the app may drop one-shot parameters (autostart) before the reload.
const address = location.href;

function reloadedBefore(): boolean {
  try {
    return sessionStorage.getItem(RELOADED) !== null;
  } catch {
    return true; // no sessionStorage: a reload could not be told from a loop
  }
}

function reloadOnce(): void {
  if (reloadedBefore()) return;
  sessionStorage.setItem(RELOADED, address);
  location.replace(address);
}

async function isolate(): Promise<void> {
  const step = isolationStep({
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    canRegister: isSecureContext && 'serviceWorker' in navigator,
    controlled: Boolean(navigator.serviceWorker?.controller),
    reloadedBefore: reloadedBefore(),
  });
  if (step === IsolationStep.none) {
    try {
      sessionStorage.removeItem(RELOADED); // a later loss of isolation may reload once again
    } catch {
      // nothing kept
    }
    return;
  }
  if (step === IsolationStep.giveUp) return;
  if (step === IsolationStep.reload) return reloadOnce();
  const container = navigator.serviceWorker;
  container.addEventListener('controllerchange', reloadOnce, { once: true });
  const url = new URL(`${defaultBaseUrl()}coi-sw.js`, document.baseURI);
  // updateViaCache 'none': the browser revalidates coi-sw.js on every check, never a stale copy.
  const registration = await container.register(url, { updateViaCache: 'none' });
  // Registered on an earlier visit, but this load bypassed it (a hard reload): reload through it.
  if (registration.active && !container.controller) reloadOnce();
}

isolate().catch((e: unknown) => {
  // Not fatal: training runs on the single-threaded wasm build.
  console.warn(`cross-origin isolation: ${e instanceof Error ? e.message : String(e)}`);
});
