// Pure (no DOM): what src/cross-origin-isolation.ts does on this load of the page. The page needs
// cross-origin isolation for the threaded wasm build; a static host that cannot send COOP/COEP gets
// them from our service worker (public/coi-sw.js), which takes effect on the next load.

export interface IsolationState {
  crossOriginIsolated: boolean;
  /** A secure context (https or localhost) with navigator.serviceWorker: a worker can be registered. */
  canRegister: boolean;
  /** The page loaded through a service worker (navigator.serviceWorker.controller). */
  controlled: boolean;
  /** This tab already reloaded once for isolation (sessionStorage): never loop. */
  reloadedBefore: boolean;
}

export const IsolationStep = {
  /** Isolated already (the host sends the headers, or our worker did): touch nothing. */
  none: 'none',
  /** Cannot isolate here (no service workers, insecure context) or tried once already: run without threads. */
  giveUp: 'give-up',
  /** Register the worker; reload once when it takes control of this page. */
  register: 'register',
  /** Controlled already, yet not isolated (loaded with a hard reload, or the worker just changed): reload once. */
  reload: 'reload',
} as const;
export type IsolationStep = (typeof IsolationStep)[keyof typeof IsolationStep];

export function isolationStep(s: IsolationState): IsolationStep {
  if (s.crossOriginIsolated) return IsolationStep.none;
  if (!s.canRegister || s.reloadedBefore) return IsolationStep.giveUp;
  return s.controlled ? IsolationStep.reload : IsolationStep.register;
}
