// Repeated exports of the same input give byte-identical files (issue 8): run.zip, comparison.zip,
// and every figure as PNG and PDF. Timing-independent: the second build runs with the page's clock
// moved a day ahead (any date taken from the clock would then differ), and the dates that do land
// in the files are checked against what the input says: the zip entries' DOS date and the PDFs'
// /CreationDate come from the run's end time (updated_at without one) or the comparison's `now`,
// and each PDF's /ID is the hash of the file written with a zero /ID.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { buildComparisonZip, type ComparisonExport } from '../../src/compare/comparison-zip';
import { comparisonSummary } from '../../src/compare/comparison-summary';
import { figureInput } from '../../src/compare/figure-input';
import { comparabilityWarnings, groupRuns, type GroupBy } from '../../src/compare/groups';
import { DEFAULT_LATEX_COLUMNS, runsLatex } from '../../src/compare/comparison-latex';
import { buildRunZip, FIGURE_KINDS, renderFigure, type FigureFormat } from '../../src/export/index';
import { COMPARE_FIGURE_KINDS, renderCompareFigure } from '../../src/export/figures/compare/index';
import { pdfFileId } from '../../src/export/figures/pdf-backend';
import { writeZip } from '../../src/export/zip';
import { isoWithOffset } from '../../src/training/time';
import type { LabRunRecord } from '../../src/recorder/run-record';
import type { SavedModel } from '../../src/training/types';
import { compareFixture } from '../fixtures/compare-figure-fixtures';
import { compareRecord } from '../fixtures/compare-records';
import { fixedRun } from '../fixtures/export-fixtures';
import { savedMlp } from '../fixtures/export-models';

const DAY_AHEAD = 86_400_000 + 7_000;
const NOW = new Date(2026, 0, 2, 3, 4, 5);

const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
/** One char per byte (TextDecoder's 'latin1' is windows-1252: it remaps 0x80–0x9F). */
function latin1(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += 0x8000) parts.push(String.fromCharCode(...b.subarray(i, i + 0x8000)));
  return parts.join('');
}

/** Byte equality, with the first differing offset in the message (and the text around it). */
function expectSameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (x: Uint8Array) => JSON.stringify(latin1(x.subarray(Math.max(0, i - 40), i + 40)));
  const where = i < Math.max(a.length, b.length) ? `first difference at byte ${i}: ${around(a)} vs ${around(b)}` : '';
  expect(i === a.length && a.length === b.length, `${what}: ${a.length} vs ${b.length} bytes; ${where}`).to.equal(true);
}

/** Runs `fn` with `new Date()` and `Date.now()` `ms` ahead of the real clock. */
async function withClockAhead<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class AheadDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + ms);
      else super(...(args as [number]));
    }
    static now(): number {
      return RealDate.now() + ms;
    }
  }
  globalThis.Date = AheadDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** The PDF date (D:YYYYMMDDHHmmSS+HH'mm') of an ISO 8601 timestamp with offset, in that offset. */
function pdfDateOf(iso: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?([+-])(\d\d):(\d\d)$/.exec(iso);
  expect(m, iso).to.not.equal(null);
  const [, y, mo, d, h, mi, s, sign, oh, om] = m!;
  return `D:${y}${mo}${d}${h}${mi}${s}${sign}${oh}'${om}'`;
}

function pdfMeta(pdf: Uint8Array): { created: string; id: string } {
  const text = latin1(pdf);
  const created = /\/CreationDate \(([^)]*)\)/.exec(text);
  const ids = [...text.matchAll(/\/ID \[ ?<([0-9A-Fa-f]+)> ?<([0-9A-Fa-f]+)> ?\]/g)];
  expect(created, '/CreationDate').to.not.equal(null);
  expect(ids, 'one /ID in the trailer').to.have.length(1);
  expect(ids[0][1], 'both /ID strings').to.equal(ids[0][2]);
  return { created: created![1], id: ids[0][1] };
}

interface ZipEntryInfo {
  name: string;
  dosTime: number;
  dosDate: number;
  data: Uint8Array; // stored bytes (as they are in the zip)
  method: number;
}

/** The entries of a zip, read from its central directory (no JSZip). */
function zipEntries(bytes: Uint8Array): ZipEntryInfo[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const out: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    expect(v.getUint32(p, true)).to.equal(0x02014b50);
    const nameLen = v.getUint16(p + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    const size = v.getUint32(p + 20, true);
    const local = v.getUint32(p + 42, true);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    out.push({ name, method: v.getUint16(p + 10, true), dosTime: v.getUint16(p + 12, true), dosDate: v.getUint16(p + 14, true), data: bytes.subarray(start, start + size) });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

/** JSZip writes the DOS date and time in UTC. */
function dosDateTime(d: Date): { dosTime: number; dosDate: number } {
  return {
    dosTime: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    dosDate: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** An entry's uncompressed bytes (STORE or raw DEFLATE). */
async function entryBytes(e: ZipEntryInfo): Promise<Uint8Array> {
  if (e.method === 0) return e.data;
  expect(e.method, e.name).to.equal(8);
  const stream = new Blob([e.data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The /ID is a hash of the file written with an all-zero /ID: same content, same /ID. */
function checkContentId(pdf: Uint8Array, id: string, what: string): void {
  expect(id, what).to.match(/^[0-9A-F]{32}$/);
  expect(id, what).to.not.equal('0'.repeat(32));
  const zeroed = latin1(pdf).replace(`/ID [ <${id}> <${id}> ]`, `/ID [ <${'0'.repeat(32)}> <${'0'.repeat(32)}> ]`);
  expect(pdfFileId(zeroed), what).to.equal(id);
}

function checkEntryDates(entries: ZipEntryInfo[], date: Date): void {
  const want = dosDateTime(date);
  for (const e of entries) expect({ dosTime: e.dosTime, dosDate: e.dosDate }, e.name).to.deep.equal(want);
}

let tiny: SavedModel;

describe('deterministic exports', () => {
  before(async () => {
    await tf.setBackend('cpu');
    tiny = await savedMlp([4], [8], 3, 5);
  });

  describe('zip writer', () => {
    it('every entry, the folders JSZip creates included, carries the given date', async () => {
      const date = new Date('2026-11-26T19:20:31.456+01:00');
      const entries = [
        { path: 'run/a.txt', data: 'a' },
        { path: 'run/sub/deeper/b.bin', data: new Uint8Array([1, 2, 3]), store: true },
      ];
      const first = await bytesOf(await writeZip(entries, { date }));
      const listed = zipEntries(first);
      expect(listed.map((e) => e.name)).to.deep.equal(['run/', 'run/a.txt', 'run/sub/', 'run/sub/deeper/', 'run/sub/deeper/b.bin']);
      checkEntryDates(listed, date);
      const second = await withClockAhead(DAY_AHEAD, async () => bytesOf(await writeZip(entries, { date })));
      expectSameBytes(first, second, 'zip');
    });
  });

  describe('run.zip', () => {
    const models = () => ({ best: tiny, checkpoints: [{ epoch: 5, model: tiny }] });
    const build = (record: LabRunRecord, predictions: ReturnType<typeof fixedRun>['predictions']) =>
      buildRunZip({ record, predictions, models: models() }).then(bytesOf);

    it('twice, the second with the clock a day ahead: the same bytes, entry by entry and whole', async () => {
      const { record, predictions } = fixedRun();
      const first = await build(record, predictions);
      const second = await withClockAhead(DAY_AHEAD, () => build(record, predictions));
      const a = zipEntries(first);
      const b = zipEntries(second);
      expect(b.map((e) => e.name)).to.deep.equal(a.map((e) => e.name));
      a.forEach((e, i) => expectSameBytes(e.data, b[i].data, e.name)); // file by file first, for a readable failure
      expectSameBytes(first, second, 'run.zip');
    });

    it("every entry is dated at the run's end time; each PDF's /CreationDate is that time in its own offset, its /ID derived from its content", async () => {
      const { record, predictions } = fixedRun();
      const entries = zipEntries(await build(record, predictions));
      checkEntryDates(entries, new Date(record.end_time!));
      const pdfs = entries.filter((e) => e.name.endsWith('.pdf'));
      expect(pdfs.map((e) => e.name.split('/').pop())).to.have.members([...FIGURE_KINDS, 'per_class_dynamics'].map((k) => `${k}.pdf`));
      const ids = new Set<string>();
      for (const e of pdfs) {
        const pdf = await entryBytes(e);
        const { created, id } = pdfMeta(pdf);
        expect(created, e.name).to.equal(pdfDateOf(record.end_time!)); // D:20261126192031+01'00'
        checkContentId(pdf, id, e.name);
        ids.add(id);
      }
      expect(ids.size, 'one /ID per file').to.equal(pdfs.length);
    });

    it('without an end time the PDFs and entries take updated_at; another end time gives other PDFs', async () => {
      const { record, predictions } = fixedRun();
      const before = pdfMeta(await bytesOf(await renderFigure('loss_curve', record, 'pdf')));
      record.end_time = null;
      record.updated_at = '2026-11-27T08:00:00.000-05:00';
      const entries = zipEntries(await build(record, predictions));
      checkEntryDates(entries, new Date(record.updated_at));
      const pdf = await bytesOf(await renderFigure('loss_curve', record, 'pdf'));
      const after = pdfMeta(pdf);
      expect(after.created).to.equal("D:20261127080000-05'00'");
      expect(after.id).to.not.equal(before.id);
      checkContentId(pdf, after.id, 'loss_curve.pdf');
    });
  });

  describe('single figures', () => {
    for (const format of ['png', 'pdf'] as FigureFormat[]) {
      for (const kind of FIGURE_KINDS) {
        it(`${kind}.${format} twice (clock a day ahead the second time): the same bytes`, async () => {
          const { record } = fixedRun();
          const first = await bytesOf(await renderFigure(kind, record, format));
          const second = await withClockAhead(DAY_AHEAD, async () => bytesOf(await renderFigure(kind, record, format)));
          expectSameBytes(first, second, `${kind}.${format}`);
          if (format === 'pdf') expect(pdfMeta(first).created).to.equal(pdfDateOf(record.end_time!));
        });
      }
    }
  });

  describe('comparison', () => {
    const input = (): ComparisonExport => {
      const records = [
        compareRecord({ id: 'mlp_20261126_191100', name: 'seed 1', seed: 1, testAcc: 80, history: 6, historySeed: 3 }),
        compareRecord({ id: 'mlp_20261126_191200', name: 'seed 2', seed: 2, testAcc: 84, history: 4, historySeed: 4, planned: 6 }),
      ];
      const by: GroupBy = { kind: 'none' };
      const groups = groupRuns(records, by);
      const summary = comparisonSummary(records, groups, by, null, comparabilityWarnings(records));
      const latex = runsLatex(records, { columns: DEFAULT_LATEX_COLUMNS, precision: 2 });
      const figures = figureInput(records, groups, { grouped: false, showTrain: false, smoothing: 0 });
      return { records, groups: null, latex, summary, figures, now: NOW };
    };

    it('comparison.zip twice from the same input and `now` (clock a day ahead the second time): the same bytes', async () => {
      const first = await bytesOf(await buildComparisonZip(input()));
      const second = await withClockAhead(DAY_AHEAD, async () => bytesOf(await buildComparisonZip(input())));
      const a = zipEntries(first);
      const b = zipEntries(second);
      expect(b.map((e) => e.name)).to.deep.equal(a.map((e) => e.name));
      a.forEach((e, i) => expectSameBytes(e.data, b[i].data, e.name));
      expectSameBytes(first, second, 'comparison.zip');

      checkEntryDates(a, NOW);
      const pdfs = a.filter((e) => e.name.endsWith('.pdf'));
      expect(pdfs).to.have.length(COMPARE_FIGURE_KINDS.length);
      const ids = new Set<string>();
      for (const e of pdfs) {
        const pdf = await entryBytes(e);
        const { created, id } = pdfMeta(pdf);
        expect(created, e.name).to.equal(pdfDateOf(isoWithOffset(NOW)));
        checkContentId(pdf, id, e.name);
        ids.add(id);
      }
      expect(ids.size).to.equal(pdfs.length);
    });

    it('each comparison figure twice with the same date: the same PNG and PDF bytes', async () => {
      const figures = compareFixture(2);
      for (const kind of COMPARE_FIGURE_KINDS) {
        for (const format of ['png', 'pdf'] as const) {
          const first = await bytesOf(await renderCompareFigure(kind, figures, format, NOW));
          const second = await withClockAhead(DAY_AHEAD, async () => bytesOf(await renderCompareFigure(kind, figures, format, NOW)));
          expectSameBytes(first, second, `${kind}.${format}`);
        }
      }
    });
  });
});
