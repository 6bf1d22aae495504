import { expect } from '@esm-bundle/chai';
import { newerFirst, placeRun, sameOrNew } from '../../src/app/stored-runs';
import type { RunRecord } from '../../src/recorder/run-record';
import { completedRecord } from '../helpers/run-fixtures';

const base = completedRecord();
const run = (id: string, start: string): RunRecord => ({ ...base, run_id: id, run_name: id, start_time: start });
const ids = (runs: readonly RunRecord[]) => runs.map((r) => r.run_id);

describe('placeRun: the shell list, one run at a time', () => {
  const a = run('a', '2026-01-03T10:00:00.000+01:00');
  const b = run('b', '2026-01-02T10:00:00.000+01:00');
  const c = run('c', '2026-01-01T10:00:00.000+01:00');
  const list = [a, b, c];

  it('adds a new run where it belongs, newest first, as listRuns orders them', () => {
    expect(ids(placeRun(list, undefined, run('new', '2026-02-01T00:00:00.000Z')))).to.deep.equal(['new', 'a', 'b', 'c']);
    expect(ids(placeRun(list, undefined, run('mid', '2026-01-02T12:00:00.000+01:00')))).to.deep.equal(['a', 'mid', 'b', 'c']);
    expect(ids(placeRun(list, undefined, run('old', '2025-01-01T00:00:00.000Z')))).to.deep.equal(['a', 'b', 'c', 'old']);
    // Same instant as b, different offset: ties go by id, descending (as listRuns).
    expect(ids(placeRun(list, undefined, run('bb', '2026-01-02T09:00:00.000+00:00')))).to.deep.equal(['a', 'bb', 'b', 'c']);
    const all = [...list, run('x', '2026-01-02T09:00:00.000Z'), run('bb', '2026-01-02T09:00:00.000Z')].sort(newerFirst);
    expect(ids(all)).to.deep.equal(['a', 'x', 'bb', 'b', 'c']);
  });

  it('replaces a changed run in place, moves one whose start changed, removes one with null; never mutates', () => {
    const b2 = { ...b, status: 'stopped' as const };
    const replaced = placeRun(list, b, b2);
    expect(replaced[1]).to.equal(b2);
    expect(replaced).to.not.equal(list);
    expect(ids(list)).to.deep.equal(['a', 'b', 'c']);
    expect(list[1]).to.equal(b);
    expect(ids(placeRun(list, c, { ...c, start_time: '2026-05-01T00:00:00.000Z' }))).to.deep.equal(['c', 'a', 'b']);
    expect(ids(placeRun(list, b, null))).to.deep.equal(['a', 'c']);
  });
});

describe('sameOrNew', () => {
  it('keeps the previous array while the compared records are the same objects', () => {
    const a = run('a', '2026-01-03T10:00:00.000Z');
    const b = run('b', '2026-01-02T10:00:00.000Z');
    const byId = new Map([a, b].map((r) => [r.run_id, r]));
    const first = sameOrNew([], ['b', 'a', 'gone'], (id) => byId.get(id));
    expect(ids(first)).to.deep.equal(['b', 'a']);
    expect(sameOrNew(first, ['b', 'a', 'gone'], (id) => byId.get(id))).to.equal(first);
    byId.set('a', { ...a });
    expect(sameOrNew(first, ['b', 'a'], (id) => byId.get(id))).to.not.equal(first);
  });
});
