// Every user action on stored runs ends in a visible result or error: a run deleted in another tab
// is renamed, annotated or deleted here. Another tab's deletion reaches an open run view at once.
import { expect } from '@esm-bundle/chai';
import { openDB } from 'idb';
import '../../src/components/tl-app';
import { RunStore } from '../../src/recorder/run-store';
import { completedRecord } from '../helpers/run-fixtures';
import { waitFor } from '../helpers/wait';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20000) => waitFor(probe, what, timeoutMs);

describe('<tl-app> when storage fails under an action', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
  let otherTab: RunStore;
  const record = { ...completedRecord(), run_id: 'mlp_20260101_000000', run_name: 'mlp_20260101_000000' };

  beforeEach(async () => {
    unhandled.length = 0;
    window.addEventListener('unhandledrejection', onUnhandled);
    otherTab = await RunStore.open();
    await otherTab.putRun(record);
  });
  afterEach(async () => {
    window.removeEventListener('unhandledrejection', onUnhandled);
    document.querySelectorAll('tl-app').forEach((a) => a.remove());
    await otherTab.deleteRun(record.run_id);
    otherTab.close();
    history.replaceState(null, '', location.pathname);
  });

  async function mountAt(hash: string) {
    history.replaceState(null, '', `${location.pathname}${hash}`);
    const app = document.createElement('tl-app');
    document.body.append(app);
    const list = await until(() => app.shadowRoot?.querySelector('tl-run-list'), 'the run list');
    await until(() => list.shadowRoot?.querySelector(`tr[data-run-id="${record.run_id}"]`), 'the stored run in the list');
    return { app, list };
  }

  const alerts = (root: ShadowRoot) => [...root.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? '').join(' | ');

  it('renaming a run deleted in another tab says so, with no unhandled rejection', async () => {
    const { app, list } = await mountAt('#runs');
    await otherTab.deleteRun(record.run_id);
    list.dispatchEvent(new CustomEvent('run-meta', { detail: { runId: record.run_id, run_name: 'baseline' }, bubbles: true, composed: true }));
    await until(() => alerts(app.shadowRoot!).includes(`Could not rename ${record.run_id}: no stored run ${record.run_id}`), 'the error to show');
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).to.deep.equal([]);
  });

  /** Deletes the run as a tab of an older TrainLab would: straight from IndexedDB, telling no other tab. */
  async function deleteUnannounced(id: string) {
    const db = await openDB('trainlab');
    await db.delete('runs', id);
    db.close();
  }

  it('notes typed in the run view of a run deleted elsewhere (unannounced) show "not saved" and the reason, not "saving…" forever', async () => {
    const { app } = await mountAt(`#runs/${record.run_id}`);
    const view = await until(() => app.shadowRoot!.querySelector('tl-run-view'), 'the run view');
    await deleteUnannounced(record.run_id);
    const notes = await until(() => view.shadowRoot!.querySelector('textarea'), 'the notes field');
    notes.value = 'lr too high';
    notes.dispatchEvent(new Event('change'));
    const status = () => view.shadowRoot!.querySelector('[aria-label="Notes status"]')?.textContent ?? '';
    await until(() => status() === 'not saved', '"not saved"');
    expect(alerts(view.shadowRoot!)).to.contain(`Could not save the notes of ${record.run_id}`);
    expect(unhandled).to.deep.equal([]);
  });

  it('a run open in the run view that another tab deletes says so, with a way back to Runs, and leaves the list', async () => {
    const { app, list } = await mountAt(`#runs/${record.run_id}`);
    const view = await until(() => app.shadowRoot!.querySelector('tl-run-view')?.shadowRoot?.querySelector('textarea') && app.shadowRoot!.querySelector('tl-run-view')!, 'the run view');
    await otherTab.deleteRun(record.run_id);
    await until(() => alerts(view.shadowRoot!).includes('This run was deleted in another tab'), '"deleted in another tab"');
    expect(view.shadowRoot!.querySelector('h2')?.textContent).to.equal(record.run_name);
    expect(view.shadowRoot!.querySelector('textarea'), 'nothing left to edit').to.equal(null);
    await until(() => !list.shadowRoot!.querySelector(`tr[data-run-id="${record.run_id}"]`), 'the run gone from the list');
    const back = [...view.shadowRoot!.querySelectorAll('a')].find((a) => a.textContent === 'Back to runs')!;
    expect(back.getAttribute('href')).to.equal('#runs');
    back.click();
    await until(() => location.hash === '#runs' && !app.shadowRoot!.querySelector('tl-run-view'), 'back on Runs');
    expect(unhandled).to.deep.equal([]);
  });

  it('a run deleted here is not announced as deleted in another tab', async () => {
    const { app, list } = await mountAt(`#runs/${record.run_id}`);
    await until(() => app.shadowRoot!.querySelector('tl-run-view'), 'the run view');
    list.dispatchEvent(new CustomEvent('run-delete', { detail: record.run_id, bubbles: true, composed: true }));
    await until(() => location.hash === '#runs' && !app.shadowRoot!.querySelector('tl-run-view'), 'back on Runs');
  });
});
