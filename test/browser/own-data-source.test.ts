import { expect } from '@esm-bundle/chai';
import 'axe-core'; // a UMD script: it sets window.axe
import type { AxeResults, RunOptions } from 'axe-core';
import '../../src/components/tl-own-data-source';
import type { TlOwnDataSource } from '../../src/components/tl-own-data-source';

const axe = (window as unknown as { axe: { run(el: Element, o: RunOptions): Promise<AxeResults> } }).axe;
const WCAG = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } } as RunOptions;

const mounted: Element[] = [];
async function mount(props: Partial<Pick<TlOwnDataSource, 'busy' | 'error' | 'offer' | 'current'>> = {}): Promise<TlOwnDataSource> {
  const el = Object.assign(document.createElement('tl-own-data-source'), props);
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}
afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

const $ = <T extends Element>(el: TlOwnDataSource, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const button = (el: TlOwnDataSource, name: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name) ?? null;
const text = (el: TlOwnDataSource) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const next = <K extends keyof HTMLElementEventMap>(el: Element, type: K) => new Promise<HTMLElementEventMap[K]>((resolve) => el.addEventListener(type, resolve as EventListener, { once: true }));

/** Sets files on a file input as the browser does when a person picks them, and fires change. */
function pick(input: HTMLInputElement, files: File[]) {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

// The FileSystem entries Chromium hands over when a folder is dropped (only a real drag from the
// desktop makes them): a directory reader that answers in batches, then an empty one.
function fileEntry(path: string, file: File) {
  return { isFile: true, isDirectory: false, name: file.name, fullPath: path, file: (ok: (f: File) => void) => ok(file) };
}
function dirEntry(path: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    fullPath: path,
    createReader: () => {
      const batches = [children.slice(0, 2), children.slice(2), []];
      return { readEntries: (ok: (b: unknown[]) => void) => ok(batches.shift() ?? []) };
    },
  };
}

describe('tl-own-data-source', () => {
  it('Choose file opens a file input for tables and zips; a picked file is raised with its name, not as a folder', async () => {
    const el = await mount();
    const input = $<HTMLInputElement>(el, 'input[name=own-file]')!;
    expect(input.accept).to.equal('.csv,.tsv,.txt,.zip,text/csv');
    let opened = false;
    input.addEventListener('click', (e) => ((opened = true), e.preventDefault()), { once: true });
    button(el, 'Choose file')!.click();
    expect(opened).to.equal(true);
    const file = new File(['a,b\n1,2\n'], 'iris-own.csv', { type: 'text/csv' });
    const got = next(el, 'own-data-files');
    pick(input, [file]);
    const { detail } = await got;
    expect(detail.files).to.deep.equal([file]);
    expect(detail.paths).to.deep.equal(['iris-own.csv']);
    expect(detail.folder).to.equal(false);
    expect(input.value).to.equal(''); // the same file can be picked again
  });

  it('Choose folder opens a directory input; its files are raised as a folder', async () => {
    const el = await mount();
    const input = $<HTMLInputElement>(el, 'input[name=own-folder]')!;
    expect(input.hasAttribute('webkitdirectory')).to.equal(true);
    let opened = false;
    input.addEventListener('click', (e) => ((opened = true), e.preventDefault()), { once: true });
    button(el, 'Choose folder')!.click();
    expect(opened).to.equal(true);
    const files = [new File(['x'], 'a.png'), new File(['y'], 'b.png')];
    const got = next(el, 'own-data-files');
    pick(input, files);
    const { detail } = await got;
    expect(detail.files).to.deep.equal(files);
    expect(detail.folder).to.equal(true);
  });

  it('a dropped file is raised as a file', async () => {
    const el = await mount();
    const dt = new DataTransfer();
    const file = new File(['a;b\n1,5;2\n'], 'semicolons.csv');
    dt.items.add(file);
    const got = next(el, 'own-data-files');
    $(el, '.drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const { detail } = await got;
    expect(detail.files.map((f) => f.name)).to.deep.equal(['semicolons.csv']);
    expect(detail.paths).to.deep.equal(['semicolons.csv']);
    expect(detail.folder).to.equal(false);
  });

  it('the drop zone shows a file dragged over it, and takes no drop while a read is under way', async () => {
    const el = await mount();
    const zone = $(el, '.drop')!;
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(zone.classList.contains('over')).to.equal(true);
    zone.dispatchEvent(new DragEvent('dragleave', { bubbles: true }));
    await el.updateComplete;
    expect(zone.classList.contains('over')).to.equal(false);
    el.busy = { label: 'Reading', done: 0, total: 0 };
    await el.updateComplete;
    let raised = false;
    el.addEventListener('own-data-files', () => (raised = true));
    const dt = new DataTransfer();
    dt.items.add(new File(['a'], 'a.csv'));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(raised).to.equal(false);
  });

  it('a dropped folder is walked through its subfolders: every file with its path under the folder, raised as a folder', async () => {
    const el = await mount();
    const f = (name: string) => new File([name], name, { type: 'image/png' });
    const tree = dirEntry('/flowers', [
      dirEntry('/flowers/rose', [fileEntry('/flowers/rose/1.png', f('1.png')), fileEntry('/flowers/rose/2.png', f('2.png')), fileEntry('/flowers/rose/3.png', f('3.png'))]),
      dirEntry('/flowers/tulip', [fileEntry('/flowers/tulip/1.png', f('1.png'))]),
    ]);
    const dt = new DataTransfer();
    Object.defineProperty(dt, 'items', { value: [{ webkitGetAsEntry: () => tree }] });
    const got = next(el, 'own-data-files');
    $(el, '.drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const { detail } = await got;
    expect(detail.paths).to.deep.equal(['flowers/rose/1.png', 'flowers/rose/2.png', 'flowers/rose/3.png', 'flowers/tulip/1.png']);
    expect(detail.files.every((x) => x instanceof File)).to.equal(true);
    expect(await detail.files[3].text()).to.equal('1.png');
    expect(detail.folder).to.equal(true);
  });

  it('Paste shows a labelled text box; Use pasted text raises the text, and is disabled while the box is empty', async () => {
    const el = await mount();
    const paste = button(el, 'Paste')!;
    expect(paste.getAttribute('aria-expanded')).to.equal('false');
    expect($(el, 'textarea')).to.equal(null);
    paste.click();
    await el.updateComplete;
    expect(paste.getAttribute('aria-expanded')).to.equal('true');
    const area = $<HTMLTextAreaElement>(el, 'textarea')!;
    expect(area.closest('label')!.textContent).to.contain('Pasted table');
    const use = button(el, 'Use pasted text')!;
    expect(use.disabled).to.equal(true);
    const table = 'x\ty\tlabel\n1\t2\ta\n3\t4\tb\n';
    area.value = table;
    area.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(use.disabled).to.equal(false);
    const got = next(el, 'own-data-text');
    use.click();
    expect((await got).detail).to.deep.equal({ text: table });
  });

  it('busy: a labelled progress bar and Cancel; the choosers wait', async () => {
    const el = await mount({ busy: { label: 'Reading iris-own.csv', done: 300, total: 1200 } });
    const bar = $<HTMLProgressElement>(el, 'progress')!;
    expect(bar.getAttribute('aria-label')).to.equal('Reading iris-own.csv');
    expect([bar.value, bar.max]).to.deep.equal([300, 1200]);
    expect(text(el)).to.contain('Reading iris-own.csv 25 %');
    expect(button(el, 'Choose file')!.disabled).to.equal(true);
    expect(button(el, 'Choose folder')!.disabled).to.equal(true);
    const got = next(el, 'own-data-cancel');
    button(el, 'Cancel')!.click();
    await got;
    el.busy = { label: 'Profiling columns', done: 0, total: 0 }; // unknown length: an indeterminate bar
    await el.updateComplete;
    expect($(el, 'progress')!.hasAttribute('value')).to.equal(false);
    el.busy = null;
    await el.updateComplete;
    expect($(el, 'progress')).to.equal(null);
    expect(button(el, 'Cancel')).to.equal(null);
    expect(button(el, 'Choose file')!.disabled).to.equal(false);
  });

  it('shows the error as given, as an alert', async () => {
    const el = await mount({ error: 'iris-own.csv, row 7: 4 cells where the header has 5' });
    expect($(el, '[role=alert]')!.textContent).to.equal('iris-own.csv, row 7: 4 cells where the header has 5');
  });

  it('offers the dataset kept in this browser: Use it and Forget', async () => {
    const el = await mount({ offer: { name: 'iris-own.csv', bytes: 12_000, savedAt: '2026-11-26T19:20:00.123+01:00' } });
    expect(text(el)).to.contain('Use your last dataset: iris-own.csv (12.0 kB, kept in this browser)');
    expect($(el, 'time')!.getAttribute('datetime')).to.equal('2026-11-26T19:20:00.123+01:00');
    let got: Promise<Event> = next(el, 'own-data-reuse');
    button(el, 'Use it')!.click();
    await got;
    got = next(el, 'own-data-forget');
    button(el, 'Forget')!.click();
    await got;
  });

  it('names the loaded file with its size and the start of its SHA-256', async () => {
    const sha256 = '3f2a9c1b7e4d5a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d';
    const el = await mount({ current: { name: 'iris-own.csv', bytes: 4_551, sha256 } });
    expect(text(el)).to.contain('Loaded: iris-own.csv (4.6 kB, SHA-256 3f2a9c1b7e4d…)');
    expect($(el, 'p.muted code')!.getAttribute('title')).to.equal(sha256);
    expect(text(el)).to.not.contain('kept in this browser');
    expect([...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent)).to.not.include('Forget the kept copy');
  });

  it('says once the loaded file is kept in this browser, and offers to forget that copy', async () => {
    const el = await mount({ current: { name: 'iris-own.csv', bytes: 4_551, sha256: 'cd'.repeat(32), kept: true } });
    expect(text(el)).to.contain(', kept in this browser');
    let forgot = 0;
    el.addEventListener('own-data-forget-current', () => forgot++);
    const button = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Forget the kept copy')!;
    button.click();
    expect(forgot).to.equal(1);
  });

  it('axe-core finds no WCAG A/AA violation with everything shown', async () => {
    const el = await mount({
      busy: { label: 'Reading iris-own.csv', done: 3, total: 10 },
      error: 'iris-own.csv: not a table',
      offer: { name: 'old.csv', bytes: 900, savedAt: '2026-11-26T19:20:00+01:00' },
      current: { name: 'iris-own.csv', bytes: 4_551, sha256: 'ab'.repeat(32) },
    });
    button(el, 'Paste')!.click();
    await el.updateComplete;
    const result = await axe.run(el, WCAG);
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });
});
