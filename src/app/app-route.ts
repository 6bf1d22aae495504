// The shell's address: which view (Lab, Runs, one run, Compare with its runs, a sweep's comparison)
// the hash names. `#lab`, `#runs`, `#runs/{run id}`, `#compare/{run ids}`, `#sweep/{sweep id}` (Compare
// on the sweep's runs, grouped by its swept keys, with its header and parallel-coordinates plot: the
// runs are the sweep record's and any stored run whose sweep_id names it); anything else is the Lab.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** `sweepId`: a sweep's comparison (its runs are found by the shell; `ids` is then empty). */
export type Route = { view: 'lab' } | { view: 'runs'; runId?: string } | { view: 'compare'; ids: string[]; sweepId?: string };

const decoded = (x: string): string => {
  try {
    return decodeURIComponent(x);
  } catch {
    return x;
  }
};

export function parseRoute(hash: string): Route {
  const compare = hash.match(/^#compare(?:\/(.*))?$/);
  if (compare) return { view: 'compare', ids: compareIds(compare[1] ?? '') };
  const sweep = hash.match(/^#sweep\/(.+)$/);
  if (sweep) return { view: 'compare', ids: [], sweepId: decoded(sweep[1]) };
  const m = hash.match(/^#runs(?:\/(.+))?$/);
  return m ? { view: 'runs', runId: m[1] ? decodeURIComponent(m[1]) : undefined } : { view: 'lab' };
}

/** The compared run ids in the hash: `#compare/id1,id2`, each id URI-encoded (so commas in ids survive). */
function compareIds(text: string): string[] {
  return [...new Set(text.split(',').filter(Boolean).map(decoded))];
}

export const compareHash = (ids: readonly string[]): string => `#compare/${ids.map(encodeURIComponent).join(',')}`;

export const runHash = (runId: string): string => `#runs/${encodeURIComponent(runId)}`;

/** A sweep's comparison: `#sweep/{sweep id}`. */
export const sweepHash = (sweepId: string): string => `#sweep/${encodeURIComponent(sweepId)}`;

/** The address of a comparison route. */
const hashOf = (r: Extract<Route, { view: 'compare' }>): string => (r.sweepId !== undefined ? sweepHash(r.sweepId) : compareHash(r.ids));

/** The shell's route, following the address; the Compare link remembers the runs last compared. */
export class RouteController implements ReactiveController {
  route: Route = parseRoute(location.hash);
  /** The comparison last shown (runs or a sweep), so that the Compare link reopens it from Lab or Runs. */
  private lastCompared: string = this.route.view === 'compare' ? hashOf(this.route) : compareHash([]);

  private readonly onHash = () => {
    this.route = parseRoute(location.hash);
    if (this.route.view === 'compare') this.lastCompared = hashOf(this.route);
    this.onChange(this.route);
    this.host.requestUpdate();
  };

  /** `onChange`: called with each new route (and once when the host connects). */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onChange: (route: Route) => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    addEventListener('hashchange', this.onHash);
    this.onChange(this.route);
  }

  hostDisconnected() {
    removeEventListener('hashchange', this.onHash);
  }

  /** Goes to `hash` (nothing happens when the address says it already). */
  go(hash: string) {
    if (location.hash !== hash) location.hash = hash;
  }

  compare(ids: string[]) {
    this.lastCompared = compareHash(ids);
    this.go(this.lastCompared);
  }

  /** Compare on a sweep's runs (the Lab's "Compare this sweep"). */
  compareSweep(sweepId: string) {
    this.lastCompared = sweepHash(sweepId);
    this.go(this.lastCompared);
  }

  /** The Compare link: the comparison shown, or the one last shown. */
  compareLink(): string {
    return this.route.view === 'compare' ? hashOf(this.route) : this.lastCompared;
  }
}
