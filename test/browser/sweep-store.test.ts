// The sweep store against real IndexedDB: validated reads, ids allocated atomically, updates in one
// transaction, orphaned sweeps marked interrupted.
import { expect } from '@esm-bundle/chai';
import { deleteDB, openDB } from 'idb';
import { planSweep } from '../../src/app/sweep-definition';
import { defaultSweepForm } from '../../src/app/sweep-form';
import type { SweepRecord } from '../../src/recorder/sweep-record';
import { SweepRecordError, SweepStore, validateSweepRecord } from '../../src/recorder/sweep-store';
import { parseLabState } from '../../src/url-state';

function sweepRecord(id: string, created = '2026-12-01T10:00:00.000+01:00'): SweepRecord {
  const form = { ...defaultSweepForm(), params: [{ key: 'lr', text: '0.01|0.1' }, { key: 'hidden', text: '8|16,16' }], repeats: 2 };
  const { plan } = planSweep(form, parseLabState('?dataset=moons&samples=200&epochs=2').state);
  const { definition, runs } = plan!;
  return { schema_version: 1, sweep_id: id, name: id, created_at: created, updated_at: created, status: 'running', status_reason: '', definition, swept_keys: ['lr', 'hidden'], runs };
}

describe('SweepStore', () => {
  const name = `sweep-store-test-${Date.now()}`;
  let store: SweepStore;
  before(async () => (store = await SweepStore.open(name)));
  after(async () => {
    store.close();
    await deleteDB(name);
  });

  it('stores and reads back a sweep exactly; lists newest first', async () => {
    const a = sweepRecord('sweep_20261201_100000', '2026-12-01T10:00:00.000+01:00');
    const b = sweepRecord('sweep_20261201_110000', '2026-12-01T11:00:00.000+01:00');
    await store.put(a);
    await store.put(b);
    expect(await store.get(a.sweep_id)).to.deep.equal(a);
    expect(await store.get('sweep_none')).to.equal(undefined);
    const { sweeps, damaged } = await store.list();
    expect(sweeps.map((s) => s.sweep_id).slice(0, 2)).to.deep.equal([b.sweep_id, a.sweep_id]);
    expect(damaged).to.deep.equal([]);
    expect(a.runs).to.have.length(8);
  });

  it('allocates ids atomically: two sweeps started in the same second get _2; a taken claim is released', async () => {
    const claims: string[] = [];
    const released: string[] = [];
    const claim = (id: string) => (claims.push(id), () => released.push(id));
    const [x, y] = await Promise.all([store.create(sweepRecord('sweep_20261201_120000'), claim), store.create(sweepRecord('sweep_20261201_120000'), claim)]);
    expect([x.record.sweep_id, y.record.sweep_id].sort()).to.deep.equal(['sweep_20261201_120000', 'sweep_20261201_120000_2']);
    expect(x.record.name).to.equal(x.record.sweep_id, 'a sweep named after its id follows it');
    expect(claims.sort()).to.deep.equal(['sweep_20261201_120000', 'sweep_20261201_120000', 'sweep_20261201_120000_2']);
    expect(released).to.deep.equal(['sweep_20261201_120000']);
  });

  it('updates in one transaction; an update that would store an invalid record stores nothing', async () => {
    const s = sweepRecord('sweep_20261201_130000');
    await store.put(s);
    const next = await store.update(s.sweep_id, (r) => ({ ...r, runs: r.runs.map((x) => (x.index === 0 ? { ...x, status: 'done', run_id: 'mlp_1' } : x)) }));
    expect(next.runs[0]).to.include({ status: 'done', run_id: 'mlp_1' });
    expect((await store.get(s.sweep_id))?.runs[0].status).to.equal('done');
    const bad = await store.update(s.sweep_id, (r) => ({ ...r, status: 'paused' as never })).catch((e: Error) => e);
    expect(bad).to.be.instanceOf(SweepRecordError);
    expect((bad as Error).message).to.match(/^sweep record: status must be one of "running"/);
    expect((await store.get(s.sweep_id))?.status).to.equal('running');
    expect(await store.update('sweep_missing', (r) => r).catch((e: Error) => e.message)).to.equal('no stored sweep sweep_missing');
  });

  it('validates what it reads: a damaged record is listed as damaged and get names the field', async () => {
    const db = await openDB(name);
    const broken = { ...sweepRecord('sweep_broken'), runs: [{ index: 0, status: 'pending' }] };
    await db.put('sweeps', broken, 'sweep_broken');
    db.close();
    const { damaged } = await store.list();
    expect(damaged.map((d) => d.key)).to.include('sweep_broken');
    const e = await store.get('sweep_broken').catch((x: Error) => x);
    expect(e).to.be.instanceOf(SweepRecordError);
    expect((e as SweepRecordError).path).to.equal('runs[0].config_index');
    await store.delete('sweep_broken');
    expect(() => validateSweepRecord({ ...sweepRecord('x'), sweep_id: '' })).to.throw(/sweep_id must be a non-empty string/);
    const r = sweepRecord('x');
    expect(() => validateSweepRecord({ ...r, runs: [r.runs[1]] })).to.throw(/runs\[0\].index must be 0/);
  });

  it('marks running sweeps that no tab drives as interrupted, and leaves a live one alone', async () => {
    await store.put(sweepRecord('sweep_20261201_140000'));
    await store.put(sweepRecord('sweep_20261201_150000'));
    const orphans = await store.recoverInterrupted(async (id) => id === 'sweep_20261201_150000');
    expect(orphans.map((s) => s.sweep_id)).to.include('sweep_20261201_140000');
    expect(orphans.map((s) => s.sweep_id)).to.not.include('sweep_20261201_150000');
    expect((await store.get('sweep_20261201_140000'))?.status).to.equal('interrupted');
    expect((await store.get('sweep_20261201_150000'))?.status).to.equal('running');
  });
});
