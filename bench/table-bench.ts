// Reads a generated CSV (default 900,000 rows × 12 columns, about 100 MB: 10 numeric columns, a
// categorical one and the label) through the table worker, timing its phases and watching the main
// thread's long tasks meanwhile. Driven by bench/run-table-bench.mjs.
import { readTableOffThread } from '../src/training/datasets/table/table-client';
import { createRng } from '../src/training/rng';

declare global {
  interface Window {
    __tableBench?: unknown;
    __tableBenchPhase?: string;
  }
}

const params = new URLSearchParams(location.search);
const rows = Number(params.get('rows') ?? 900_000);
const headRows = Number(params.get('head') ?? 100); // 'Infinity': the whole table comes to the page
const out = document.getElementById('out')!;

function generate(): Blob {
  const rng = createRng(1); // seeded: every run reads the same file
  const parts: string[] = [['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'colour', 'label'].join(',') + '\n'];
  const colours = ['red', 'green', 'blue', 'yellow', 'black', 'white', 'orange', 'purple'];
  for (let r = 0; r < rows; r += 10_000) {
    const lines: string[] = [];
    for (let i = r; i < Math.min(rows, r + 10_000); i++) {
      const cells: string[] = [];
      for (let c = 0; c < 10; c++) cells.push((rng.next() * 1000).toFixed(5));
      cells.push(colours[Math.floor(rng.next() * colours.length)], `class${Math.floor(rng.next() * 5)}`);
      lines.push(cells.join(','));
    }
    parts.push(lines.join('\n') + '\n');
  }
  return new Blob(parts, { type: 'text/csv' });
}

function watchLongTasks() {
  const tasks: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push({ start: e.startTime, ms: e.duration })));
  observer.observe({ type: 'longtask' });
  return () => {
    observer.disconnect();
    return tasks;
  };
}

async function main() {
  out.textContent = `generating ${rows.toLocaleString('en-US')} rows…`;
  const blob = generate();
  const file = new File([blob], 'bench.csv');
  window.__tableBenchPhase = 'generated';
  await new Promise((r) => setTimeout(r, 1500)); // let the generator's garbage go and the runner take a baseline
  window.__tableBenchPhase = 'reading';
  out.textContent = `reading ${(file.size / 1e6).toFixed(1)} MB…`;
  const stop = watchLongTasks();
  // Timer ticks on the main thread: a frozen page shows as a gap between them.
  let lastTick = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - lastTick);
    lastTick = now;
  }, 16);
  const marks: Record<string, number> = {};
  const t0 = performance.now();
  const result = await readTableOffThread(
    { input: file, headRows },
    {
      onProgress: (p) => {
        const t = performance.now() - t0;
        if (p.label === 'reading') marks.firstPiece ??= t;
        if (p.label === 'reading' && p.done === p.total) marks.parsed = t;
        if (p.label === 'profiling' && p.done === p.total) marks.profiled = t;
      },
    },
  );
  const totalMs = performance.now() - t0;
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 200));
  const tasks = stop();
  window.__tableBenchPhase = 'done';
  window.__tableBench = {
    rows,
    columns: result.table.header.length,
    bytes: file.size,
    headRows,
    totalRows: result.totalRows,
    types: result.profiles.map((p) => p.type),
    totalMs,
    marks,
    longTasks: { count: tasks.length, worstMs: Math.max(0, ...tasks.map((t) => t.ms)), list: tasks.slice(0, 20) },
    worstTimerGapMs: worstGap,
  };
  out.textContent = JSON.stringify(window.__tableBench, null, 2);
}

main().catch((e) => {
  window.__tableBench = { error: String(e?.stack ?? e) };
  window.__tableBenchPhase = 'done';
});
