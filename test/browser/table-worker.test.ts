// The table worker for real: a module worker started from table-client.ts, PapaParse inside it.
import { expect } from '@esm-bundle/chai';
import { proposeChoice } from '../../src/training/datasets/table/profile';
import { disposeTableWorker, prepareTableOffThread, readTableOffThread, tableWorkerState } from '../../src/training/datasets/table/table-client';
import { TableError } from '../../src/training/datasets/table/table-error';
import type { Progress } from '../../src/training/worker-rpc';

/** A CSV of `rows` rows: 4 numeric columns, a categorical one and the label. */
function generated(rows: number): string {
  const lines = ['a,b,c,d,colour,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.37).toFixed(3)},${i % 17},${(Math.sin(i) * 100).toFixed(4)},${['red', 'green', 'blue'][i % 3]},${i % 2 ? 'yes' : 'no'}`);
  return lines.join('\n') + '\n';
}

async function sha256(data: BufferSource): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<number> {
  const t0 = performance.now();
  while (!(await condition())) {
    if (performance.now() - t0 > ms) expect.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - t0;
}

describe('table worker', () => {
  after(() => disposeTableWorker());

  it('reads a file in the worker with progress, returns its head, the profiles of all of it and its hash', async () => {
    const text = generated(90_000); // ~3.3 MB: four pieces
    const f = new File([text], 'gen.csv');
    const progress: Progress[] = [];
    const r = await readTableOffThread({ input: f }, { onProgress: (p) => progress.push(p) });
    expect(r.totalRows).to.equal(90_000);
    expect(r.table.rowCount).to.equal(100);
    expect(r.table.columns[0].slice(0, 3)).to.deep.equal(['0', '1', '2']);
    expect(Array.from(r.table.rowNumbers.slice(0, 3))).to.deep.equal([2, 3, 4]);
    expect(r.table.source).to.deep.equal({
      fileName: 'gen.csv', bytes: f.size, sha256: await sha256(await f.arrayBuffer()), encoding: 'utf-8', delimiter: ',', decimalComma: false, hasHeader: true,
    });
    expect(r.profiles.map((p) => p.type)).to.deep.equal(['numeric', 'numeric', 'numeric', 'numeric', 'categorical', 'categorical']);
    expect(r.profiles[0].distinct).to.equal(90_000);
    expect(r.profiles[5]).to.deep.include({ distinct: 2, labelCandidate: true });
    const reading = progress.filter((p) => p.label === 'reading');
    expect(reading.length).to.be.at.least(3);
    expect(reading.every((p, i) => p.total === f.size && (i === 0 || p.done > reading[i - 1].done))).to.equal(true);
    expect(reading[reading.length - 1].done).to.equal(f.size);
    expect(progress.filter((p) => p.label === 'profiling').map((p) => p.done)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(await tableWorkerState()).to.deep.equal({ kept: { rows: 90_000, columns: 6, sha256: r.table.source.sha256 }, reading: 0 });
  });

  it('returns the whole table when asked, and reads pasted text', async () => {
    const r = await readTableOffThread({ input: 'x;y\n1,5;a\n2,5;b\n', headRows: Infinity });
    expect(r.table.columns).to.deep.equal([['1.5', '2.5'], ['a', 'b']]);
    expect(r.table.source).to.deep.include({ fileName: 'pasted text', delimiter: ';', decimalComma: true });
  });

  it('stops a read of a large file when cancelled, and keeps nothing of it', async () => {
    const f = new File([generated(600_000)], 'big.csv'); // ~20 MB
    expect(f.size).to.be.above(20e6);
    const abort = new AbortController();
    let firstProgress = 0;
    let abortedAt = 0;
    const started = readTableOffThread({ input: f }, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.label === 'reading' && !firstProgress) {
          firstProgress = p.done;
          abortedAt = performance.now();
          abort.abort();
        }
      },
    });
    let error: unknown;
    await started.catch((e) => (error = e));
    expect((error as Error).name).to.equal('AbortError');
    expect(performance.now() - abortedAt).to.be.below(50); // the promise rejects at once
    expect(firstProgress).to.be.below(f.size);
    const stoppedIn = await waitFor(async () => (await tableWorkerState()).reading === 0, 1000); // the worker stops at its next piece
    expect(stoppedIn).to.be.below(250); // a whole read of this file takes longer (~1 s here)
    expect((await tableWorkerState()).kept).to.equal(null);
    const again = await readTableOffThread({ input: 'a,b\n1,2\n' });
    expect(again.totalRows).to.equal(1);
  });

  it('lets a new read replace one still running', async () => {
    const big = readTableOffThread({ input: new File([generated(600_000)], 'big.csv') });
    const small = await readTableOffThread({ input: 'a,b\n1,2\n3,4\n' });
    let error: unknown;
    await big.catch((e) => (error = e));
    expect((error as Error).name).to.equal('AbortError');
    expect(small.totalRows).to.equal(2);
    expect((await tableWorkerState()).kept?.rows).to.equal(2);
  });

  it('sends errors back as TableError with their message', async () => {
    let error: unknown;
    await readTableOffThread({ input: new File(['a,b\n1,2\n3\n'], 'bad.csv') }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TableError);
    expect((error as Error).name).to.equal('TableError');
    expect((error as Error).message).to.equal('1 row has a different number of fields than the header (2): row 3 has 1; a cell that holds the delimiter must be quoted');
    await readTableOffThread({ input: 'a,b\n1,2\n3,4\n' }, {}).then((r) => expect(r.totalRows).to.equal(2));
    error = undefined;
    await readTableOffThread({ input: 'a,b\n1,2\n3,4\n', limits: { maxRows: 1 } }).catch((e) => (error = e));
    expect((error as Error).message).to.equal('the table has more than 1 data rows, the limit: use a sample of its rows');
    expect((await tableWorkerState()).kept).to.equal(null);
  });

  it('prepares the table it keeps and moves the dataset and split to the page', async () => {
    const r = await readTableOffThread({ input: new File([generated(3000)], 'gen.csv') });
    const choice = proposeChoice(r.profiles);
    expect(choice).to.deep.include({ label: 'label', features: ['a', 'b', 'c', 'd', 'colour'], categorical: ['colour'] });
    const p = await prepareTableOffThread({ choice, ratios: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 });
    expect(p.dataset.numSamples).to.equal(3000);
    expect(p.dataset.classNames).to.deep.equal(['no', 'yes']);
    expect(p.dataset.inputShape).to.deep.equal([4 + 3]); // four numbers, three colours one-hot
    expect(p.dataset.features).to.be.instanceOf(Float32Array);
    expect(p.split.train.n + p.split.val.n + p.split.test.n).to.equal(3000);
    expect(p.preprocessing.fittedOn).to.equal('train');
    expect((await tableWorkerState()).kept?.rows, 'the table stays for another choice').to.equal(3000);
  });

  it('refuses to prepare before a table is read', async () => {
    disposeTableWorker();
    let error: unknown;
    await prepareTableOffThread({ choice: proposeChoice([]), ratios: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TableError);
    expect((error as Error).message).to.equal('no table has been read yet: choose a file or paste a table');
  });
});
