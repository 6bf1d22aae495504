// The shell with many stored runs: it reads them once; after that each write (an epoch the lab
// stores, a rename, a delete) changes the one run in its list and the byte count, and nothing reads
// every run again.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import '../../src/components/tl-app';
import type { TlApp } from '../../src/components/tl-app';
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import { RunStore } from '../../src/recorder/run-store';
import type { TlStoragePanel } from '../../src/components/tl-storage-panel';
import { at, completedRecord, epochEvent, makeInit, makeSnapshot, started } from '../helpers/run-fixtures';
import { waitFor } from '../helpers/wait';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20000) => waitFor(probe, what, timeoutMs);

const STORED = 300;

describe('<tl-app> with 300 stored runs', () => {
  const calls = { listRuns: 0, usage: 0 };
  const originals = { listRuns: RunStore.prototype.listRuns, usage: RunStore.prototype.usage };
  let app: TlApp;

  before(async () => {
    await deleteDB('trainlab');
    const seed = await RunStore.open();
    const base = completedRecord();
    await Promise.all(
      Array.from({ length: STORED }, (_, i) =>
        seed.putRun({ ...base, run_id: `seed_${String(i).padStart(3, '0')}`, run_name: `seed ${i}`, start_time: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }),
      ),
    );
    seed.close();
    RunStore.prototype.listRuns = function (this: RunStore) {
      calls.listRuns++;
      return originals.listRuns.call(this);
    };
    RunStore.prototype.usage = function (this: RunStore, ...args: Parameters<RunStore['usage']>) {
      calls.usage++;
      return originals.usage.apply(this, args);
    };
    history.replaceState(null, '', `${location.pathname}#runs`);
    app = document.createElement('tl-app');
    document.body.append(app);
  });

  after(async () => {
    Object.assign(RunStore.prototype, originals);
    app.remove();
    history.replaceState(null, '', location.pathname);
    await deleteDB('trainlab'); // the app's connection steps aside
  });

  const list = () => app.shadowRoot!.querySelector('tl-run-list')!;
  const panel = () => app.shadowRoot!.querySelector<TlStoragePanel>('tl-storage-panel')!;
  const row = (id: string) => list().shadowRoot?.querySelector(`tbody tr[data-run-id="${id}"]`);
  const store = () => app.stored.store!;

  it('reads the runs once and the byte count once, then changes one run per write', async () => {
    await until(() => panel()?.runCount === STORED && Number.isFinite(panel().labBytes), 'the runs and their bytes');
    expect(list().shadowRoot!.querySelector('[role="grid"]')!.getAttribute('aria-rowcount')).to.equal(String(STORED + 1));
    await until(() => row('seed_299'), 'the newest run in the list');
    expect(calls).to.deep.equal({ listRuns: 1, usage: 1 });
    const bytes = panel().labBytes;

    // What the lab's training session does: a new run's record, then each epoch with its snapshot.
    const { record, release } = await store().createRun({ ...applyEvent(createRunRecord(makeInit({ now: new Date() })), started(), at(1)), run_id: 'mlp_now', run_name: 'mlp_now' });
    await until(() => row('mlp_now'), 'the new run, first in the list');
    expect(list().shadowRoot!.querySelector('tbody tr')!.getAttribute('data-run-id')).to.equal('mlp_now');
    let r = record;
    for (let k = 1; k <= 3; k++) {
      const snap = makeSnapshot(k, { isBest: true });
      r = await store().saveEpoch(applyEvent(r, epochEvent(k, snap), at(1 + 2 * k)), snap);
      await until(() => row('mlp_now')?.textContent?.includes(`running (${k} epochs)`), `epoch ${k} in the list`);
    }
    release();
    expect(panel().runCount).to.equal(STORED + 1);
    expect(panel().labBytes).to.equal((await originals.usage.call(store())).total);
    expect(panel().labBytes).to.be.greaterThan(bytes);

    list().dispatchEvent(new CustomEvent('run-meta', { detail: { runId: 'seed_299', run_name: 'renamed here' }, bubbles: true, composed: true }));
    await until(() => row('seed_299')?.textContent?.includes('renamed here'), 'the renamed run');
    list().dispatchEvent(new CustomEvent('run-delete', { detail: 'seed_298', bubbles: true, composed: true }));
    await until(() => panel().runCount === STORED && !row('seed_298'), 'the deleted run gone');
    expect(calls, 'no list or byte count was read again').to.deep.equal({ listRuns: 1, usage: 1 });
    expect(panel().labBytes).to.equal((await originals.usage.call(store())).total);
  });

  it('a write that commits while every run is read again (after a restore) is kept, not overwritten by the read', async () => {
    const reading = app.stored.refresh();
    await store().updateMeta('seed_297', { run_name: 'renamed during a read' });
    await reading;
    await until(() => row('seed_297')?.textContent?.includes('renamed during a read'), 'the rename in the list');
    await new Promise((r) => setTimeout(r, 100));
    expect(row('seed_297')!.textContent).to.contain('renamed during a read');
  });

  it("another tab's writes reach the list and the byte count: that one run is read again, no list or byte count", async () => {
    const other = await RunStore.open(); // another tab of the lab, on the same database
    const before = { ...calls };
    const timed = async (write: () => Promise<unknown>, shown: () => unknown, what: string) => {
      await write();
      const t0 = performance.now();
      await waitFor(shown, what, 20000, 1);
      return performance.now() - t0;
    };
    try {
      const now = new Date().toISOString();
      const ms = [
        await timed(() => other.putRun({ ...completedRecord(), run_id: 'other_tab', run_name: 'other_tab', start_time: now }), () => row('other_tab'), 'the run created in another tab'),
        await timed(() => other.updateMeta('other_tab', { run_name: 'renamed in another tab' }), () => row('other_tab')?.textContent?.includes('renamed in another tab'), 'the rename'),
      ];
      expect(panel().runCount).to.equal(STORED + 1);
      const scanned = async () => {
        const fresh = await RunStore.open();
        try {
          return (await originals.usage.call(fresh)).total;
        } finally {
          fresh.close();
        }
      };
      expect(panel().labBytes).to.equal(await scanned(), 'the byte count agrees with a fresh scan');
      ms.push(await timed(() => other.deleteRun('other_tab'), () => !row('other_tab') && panel().runCount === STORED, 'the deletion'));
      expect(panel().labBytes).to.equal(await scanned());
      expect(calls, 'no list or byte count was read again').to.deep.equal(before);
      console.log(`another tab's create / rename / delete shown in this tab's list of ${STORED + 1} runs after ${ms.map((t) => t.toFixed(0)).join(' / ')} ms`);
    } finally {
      other.close();
    }
  });
});
