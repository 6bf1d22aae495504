// The window of a long Runs list: up to WINDOW_ABOVE rows are all in the page (find-in-page sees
// them, long names wrap); a longer list is windowed: its rows are one line each, all of the same
// height, and only those in and near the viewport exist (the list scrolls with the page), so a
// thousand runs open and scroll at once.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const WINDOW_ABOVE = 60;
/** Rows drawn beyond each edge of the viewport. */
const OVERSCAN = 12;
/** Rows drawn before the list's place on the page is known (more than a screen). */
const FIRST_WINDOW = 60;
/** The height of a windowed row, in rem (its pixels are measured once drawn, for font settings). */
export const ROW_REM = 2.1;
const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

interface WindowHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class RowWindowController implements ReactiveController {
  /** The rows drawn of a windowed list: [first, last). */
  private rowWindow = { first: 0, last: FIRST_WINDOW };
  /** The height of a windowed row in pixels (measured; all are alike), and the one the body was last drawn with. */
  private rowPx = 0;
  private drawnRowPx = 0;
  private frame = 0;

  /** `count`: the rows of the list; `active`: whether it is shown. */
  constructor(
    private readonly host: WindowHost,
    private readonly count: () => number,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected() {
    addEventListener('scroll', this.onViewport, { passive: true });
    addEventListener('resize', this.onViewport, { passive: true });
  }

  hostDisconnected() {
    removeEventListener('scroll', this.onViewport);
    removeEventListener('resize', this.onViewport);
  }

  hostUpdated() {
    if (this.body()) this.onViewport(); // at the next frame: no update from within an update
  }

  /** The rows to draw and the body's box (its padding and height stand for the rows above and below). */
  range(count: number): { first: number; last: number; box: Record<string, string> } {
    const rowPx = (this.drawnRowPx = this.rowPx || (this.rowPx = ROW_REM * remPx()));
    const last = Math.min(count, this.rowWindow.last);
    const first = Math.min(this.rowWindow.first, last);
    return { first, last, box: { 'padding-top': `${first * rowPx}px`, height: `${count * rowPx}px` } };
  }

  /** Scrolls row `index` (0 = the first run) into view and draws it; false when the list is not windowed. */
  async reveal(index: number): Promise<boolean> {
    const body = this.body();
    if (!body || index < 0 || !this.rowPx) return false;
    const top = body.getBoundingClientRect().top + index * this.rowPx;
    const header = this.host.renderRoot.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (top < header) scrollBy(0, top - header);
    else if (top + this.rowPx > innerHeight) scrollBy(0, top + this.rowPx - innerHeight);
    this.place();
    await this.host.updateComplete;
    return true;
  }

  private body = () => this.host.renderRoot.querySelector<HTMLElement>('tbody.window');

  /** Scrolled or resized: the window follows at the next frame (once per frame, whatever the events). */
  private readonly onViewport = () => {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.place()));
  };

  /**
   * The rows in the viewport and OVERSCAN beyond, from where the body is on the page: no row is
   * measured but one (all are alike), nothing is read per row.
   */
  private place() {
    const body = this.body();
    if (!body || !this.active()) return;
    const rect = body.getBoundingClientRect();
    if (rect.height === 0) return; // hidden
    // A row is measured only on screen: off screen the rows are skipped (content-visibility), and
    // measuring one would lay them all out.
    if (rect.top < innerHeight && rect.bottom > 0) {
      const measured = body.querySelector('tr')?.getBoundingClientRect().height ?? 0;
      if (measured > 0 && Math.abs(measured - this.rowPx) > 0.5) this.rowPx = measured;
    }
    if (!this.rowPx) return;
    const count = this.count();
    const first = Math.max(0, Math.min(count, Math.floor(-rect.top / this.rowPx) - OVERSCAN));
    const last = Math.max(first, Math.min(count, Math.ceil((innerHeight - rect.top) / this.rowPx) + OVERSCAN));
    if (first !== this.rowWindow.first || last !== this.rowWindow.last) {
      this.rowWindow = { first, last };
      this.host.requestUpdate();
    } else if (this.drawnRowPx !== this.rowPx) this.host.requestUpdate(); // the row height changed (a font size)
  }
}
