// The shell's address: which view (Lab, Runs, one run, Compare with its runs) the hash names.
// `#lab`, `#runs`, `#runs/{run id}`, `#compare/{run ids}`; anything else is the Lab.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Route = { view: 'lab' } | { view: 'runs'; runId?: string } | { view: 'compare'; ids: string[] };

export function parseRoute(hash: string): Route {
  const compare = hash.match(/^#compare(?:\/(.*))?$/);
  if (compare) return { view: 'compare', ids: compareIds(compare[1] ?? '') };
  const m = hash.match(/^#runs(?:\/(.+))?$/);
  return m ? { view: 'runs', runId: m[1] ? decodeURIComponent(m[1]) : undefined } : { view: 'lab' };
}

/** The compared run ids in the hash: `#compare/id1,id2`, each id URI-encoded (so commas in ids survive). */
function compareIds(text: string): string[] {
  const ids = text.split(',').filter(Boolean).map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  });
  return [...new Set(ids)];
}

export const compareHash = (ids: readonly string[]): string => `#compare/${ids.map(encodeURIComponent).join(',')}`;

export const runHash = (runId: string): string => `#runs/${encodeURIComponent(runId)}`;

/** The shell's route, following the address; the Compare link remembers the runs last compared. */
export class RouteController implements ReactiveController {
  route: Route = parseRoute(location.hash);
  /** The ids last compared, so that the Compare link reopens them from Lab or Runs. */
  lastCompared: string[] = this.route.view === 'compare' ? this.route.ids : [];

  private readonly onHash = () => {
    this.route = parseRoute(location.hash);
    if (this.route.view === 'compare') this.lastCompared = this.route.ids;
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
    this.lastCompared = ids;
    this.go(compareHash(ids));
  }

  /** The Compare link: the runs shown, or those last compared. */
  compareLink(): string {
    return compareHash(this.route.view === 'compare' ? this.route.ids : this.lastCompared);
  }
}
