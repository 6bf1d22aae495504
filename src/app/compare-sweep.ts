// The shell's side of a sweep's comparison (`#sweep/{sweep id}`): reads the sweep's record from the
// sweep store (through the small SweepSource it is given) and finds the sweep's runs among the stored
// ones. The record is read again when the sweep's stored runs change (a run of a sweep still going
// finished), so the header's status and "runs done" follow. Without a record (a store that does not
// have it, or none), the runs that name the sweep are compared and the swept keys are those that vary.
//
// "Compare this sweep": whatever shows a sweep (the Lab's sweep panel) raises `compare-sweep` with
// detail { sweepId } (bubbles, composed); the shell answers by going to `#sweep/{sweepId}`.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunRecord } from '../recorder/run-record';
import type { SweepRecord } from '../recorder/sweep-record';
import { sweepInfo, sweepRunIds, type SweepInfo } from '../compare/sweep-compare';

/** What the comparison needs of the sweep store. */
export interface SweepSource {
  get(sweepId: string): Promise<SweepRecord | null | undefined>;
}

export interface CompareSweepDetail {
  sweepId: string;
}

export const COMPARE_SWEEP_EVENT = 'compare-sweep';

/** The event "Compare this sweep" raises. */
export const compareSweepEvent = (sweepId: string): CustomEvent<CompareSweepDetail> =>
  new CustomEvent<CompareSweepDetail>(COMPARE_SWEEP_EVENT, { detail: { sweepId }, bubbles: true, composed: true });

export class CompareSweepController implements ReactiveController {
  /** The record of the sweep last asked for (null: not read yet, or not stored). */
  record: SweepRecord | null = null;
  /** Why the record could not be read ('' when it was, or is not stored). */
  message = '';
  private key = '';
  private source?: Promise<SweepSource | null>;
  private info: SweepInfo | null = null;

  /** `open`: the sweep store, opened on the first sweep shown (null where there is none). */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly open: () => Promise<SweepSource | null>,
  ) {
    host.addController(this);
  }

  hostConnected() {}

  /**
   * Sweep `sweepId`'s runs among `stored` and its header. The record is read (again) when the sweep
   * or its stored runs changed; until it is read, the runs that name the sweep are shown.
   */
  comparison(sweepId: string, stored: readonly RunRecord[]): { ids: string[]; info: SweepInfo } {
    const own = stored.filter((r) => r.sweep_id === sweepId);
    const key = JSON.stringify([sweepId, own.map((r) => `${r.run_id}@${r.status}`)]);
    if (key !== this.key) {
      this.key = key;
      void this.read(sweepId, key);
    }
    const record = this.record?.sweep_id === sweepId ? this.record : null;
    const ids = sweepRunIds(sweepId, record, stored);
    const info = sweepInfo(sweepId, record, stored.filter((r) => ids.includes(r.run_id)));
    // The same object while nothing changed: the view regroups only on a new one.
    if (!this.info || JSON.stringify(this.info) !== JSON.stringify(info)) this.info = info;
    return { ids, info: this.info };
  }

  private async read(sweepId: string, key: string) {
    try {
      this.source ??= this.open();
      const source = await this.source;
      const record = (await source?.get(sweepId)) ?? null;
      if (key !== this.key) return; // a newer read was asked for
      this.record = record;
      this.message = '';
    } catch (e) {
      if (key !== this.key) return;
      this.message = `The sweep's record could not be read: ${(e as Error).message}`;
    }
    this.host.requestUpdate();
  }
}

declare global {
  interface HTMLElementEventMap {
    'compare-sweep': CustomEvent<CompareSweepDetail>;
  }
}
