// Image sets through the real worker: files drawn in the test (PNG, JPEG, WebP from a canvas; BMP
// and GIF written by hand), decoded, cropped and scaled in the worker; pixel values checked.
import { expect } from '@esm-bundle/chai';
import { writeZip } from '../../src/export/zip';
import { DatasetError } from '../../src/training/datasets/errors';
import { imageInputFromFiles, loadImageSet, planImageSet } from '../../src/training/datasets/images/image-client';
import { sha256Hex } from '../../src/training/datasets/images/image-provenance';
import { bands, bmp, channel, drawn, folder, gif, noise, solid } from './image-fixtures';

const near = (values: number[], want: number, tol = 0.02) => values.every((v) => Math.abs(v - want) <= tol);
const RED: [number, number, number, number] = [255, 0, 0, 1];
const BLUE: [number, number, number, number] = [0, 0, 255, 1];

const rejection = (p: Promise<unknown>): Promise<Error> => p.then(() => expect.fail('expected a rejection'), (e: Error) => e);

describe('image sets: decoding in the worker', () => {
  it('a solid red PNG becomes (1, 0, 0) in RGB and 0.299 in grayscale; a blue one (0, 0, 1) and 0.114', async () => {
    const input = folder({ 'pets/red/a.png': await solid(10, 10, RED), 'pets/blue/b.png': await solid(10, 10, BLUE) });
    const rgb = await loadImageSet(input, { size: 28, color: 'rgb' });
    const ds = rgb.dataset;
    expect(ds.id).to.equal('file');
    expect(ds.kind).to.equal('image');
    expect(ds.inputShape).to.deep.equal([28, 28, 3]);
    expect(ds.classNames).to.deep.equal(['blue', 'red']);
    expect(Array.from(ds.labels)).to.deep.equal([0, 1]);
    expect(ds.features.length).to.equal(2 * 28 * 28 * 3);
    const per = 28 * 28 * 3;
    expect(near(channel(ds.features, 1, per, 3, 0), 1)).to.equal(true);
    expect(near(channel(ds.features, 1, per, 3, 1), 0)).to.equal(true);
    expect(near(channel(ds.features, 1, per, 3, 2), 0)).to.equal(true);
    expect(near(channel(ds.features, 0, per, 3, 2), 1)).to.equal(true);

    const gray = (await loadImageSet(input, { size: 32, color: 'grayscale' })).dataset;
    expect(gray.inputShape).to.deep.equal([32, 32, 1]);
    expect(near(channel(gray.features, 1, 32 * 32, 1, 0), 0.299, 0.005)).to.equal(true);
    expect(near(channel(gray.features, 0, 32 * 32, 1, 0), 0.114, 0.005)).to.equal(true);
  });

  it('reads JPEG, WebP, BMP and the first frame of a GIF; transparent pixels come out white', async () => {
    const input = folder({
      'set/jpeg/a.jpg': await solid(16, 16, [0, 255, 0, 1], 'image/jpeg', 1),
      'set/webp/a.webp': await solid(16, 16, [0, 0, 255, 1], 'image/webp', 1),
      'set/bmp/a.bmp': bmp(2, 2, [255, 0, 0]),
      'set/gif/a.gif': gif([255, 0, 0], [0, 0, 255]),
      'set/clear/a.png': await solid(8, 8, [0, 0, 0, 0]),
    });
    const { dataset: ds, info } = await loadImageSet(input, { size: 28, color: 'rgb' });
    expect(info.skipped).to.deep.equal([]);
    expect(ds.classNames).to.deep.equal(['bmp', 'clear', 'gif', 'jpeg', 'webp']);
    const per = 28 * 28 * 3;
    const rgbOf = (row: number) => [0, 1, 2].map((k) => channel(ds.features, row, per, 3, k));
    const expectColour = (row: number, want: number[], tol = 0.02) =>
      rgbOf(row).forEach((values, k) => expect(near(values, want[k], tol), `${ds.classNames[row]} channel ${k}`).to.equal(true));
    expectColour(0, [1, 0, 0]); // BMP
    expectColour(1, [1, 1, 1]); // transparent over white
    expectColour(2, [1, 0, 0]); // GIF: frame 1 red, frame 2 blue
    expectColour(3, [0, 1, 0], 0.03); // JPEG (chroma is lossy even at quality 1)
    expectColour(4, [0, 0, 1], 0.03); // WebP
  });

  it('scales to cover and crops the centre: a wide red | green | blue image gives all green', async () => {
    const input = folder({ 's/wide/a.png': await bands(90, 30, ['#f00', '#0f0', '#00f']), 's/tall/b.png': await solid(10, 40, RED) });
    const { dataset: ds } = await loadImageSet(input, { size: 28, color: 'rgb' });
    const per = 28 * 28 * 3;
    const wide = ds.classNames.indexOf('wide');
    expect(near(channel(ds.features, wide, per, 3, 1), 1, 0.01), 'green everywhere').to.equal(true);
    expect(near(channel(ds.features, wide, per, 3, 0), 0, 0.01), 'no red left').to.equal(true);
  });

  it('downscales without aliasing: 1-pixel black and white stripes average to grey', async () => {
    const stripes = await drawn(640, 640, (ctx, w, h) => {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#000';
      for (let x = 0; x < w; x += 2) ctx.fillRect(x, 0, 1, h);
    });
    const input = folder({ 's/stripes/a.png': stripes, 's/red/b.png': await solid(4, 4, RED) });
    const { dataset: ds } = await loadImageSet(input, { size: 32, color: 'grayscale' });
    const values = channel(ds.features, ds.classNames.indexOf('stripes'), 32 * 32, 1, 0);
    expect(Math.max(...values) - Math.min(...values), 'uniform').to.be.below(0.1);
    expect(Math.abs(values.reduce((a, b) => a + b) / values.length - 0.5)).to.be.below(0.1);
  });

  it('skips and lists damaged and unreadable files, files in the root and non-images; the rest loads', async () => {
    const input = folder({
      'pets/cats/1.png': await solid(10, 10, RED),
      'pets/cats/2.png': noise(300),
      'pets/cats/3.png': new Blob([(await (await solid(10, 10, RED)).arrayBuffer()).slice(0, 60)]),
      'pets/dogs/1.png': await solid(10, 10, BLUE),
      'pets/dogs/notes.txt': new Blob(['good dogs']),
      'pets/loose.png': await solid(10, 10, RED),
      'pets/.DS_Store': new Blob(['x']),
    });
    const { dataset, info } = await loadImageSet(input, { size: 28, color: 'rgb' });
    expect(dataset.numSamples).to.equal(2);
    expect(info.classes).to.deep.equal([{ name: 'cats', count: 1 }, { name: 'dogs', count: 1 }]);
    expect(info.skipped.map((s) => s.path)).to.deep.equal(['pets/cats/2.png', 'pets/cats/3.png', 'pets/dogs/notes.txt', 'pets/loose.png']);
    const why = Object.fromEntries(info.skipped.map((s) => [s.path, s.reason]));
    expect(why['pets/cats/2.png']).to.match(/not a PNG, JPEG, WebP, GIF or BMP image/);
    expect(why['pets/cats/3.png']).to.match(/damaged PNG/);
    expect(why['pets/dogs/notes.txt']).to.match(/not an image \(\.txt/);
    expect(why['pets/loose.png']).to.match(/in no class folder/);
    expect(info.ignored).to.equal(1);
  });

  it('drops a class folder none of whose images decode and refuses when fewer than two classes remain', async () => {
    const three = folder({ 'p/a/1.png': await solid(4, 4, RED), 'p/b/1.png': await solid(4, 4, BLUE), 'p/c/1.png': noise(100) });
    const { dataset, info } = await loadImageSet(three, { size: 28, color: 'rgb' });
    expect(dataset.classNames).to.deep.equal(['a', 'b']);
    expect(info.emptyClasses).to.deep.equal(['c']);
    const two = folder({ 'p/a/1.png': await solid(4, 4, RED), 'p/c/1.png': noise(100) });
    const err = await rejection(loadImageSet(two, { size: 28, color: 'rgb' }));
    expect(err).to.be.instanceOf(DatasetError);
    expect(err.message).to.match(/^found 1 class folder \(a\) with images in "p"; need at least 2 sub-folders, one per class/);
  });

  it('plans before decoding: class counts, skipped files and a memory warning with its numbers', async () => {
    const files: Record<string, Blob> = {};
    const png = await solid(4, 4, RED);
    for (const c of ['class10', 'class2', 'class1']) for (let i = 0; i < 3; i++) files[`d/${c}/${i}.png`] = png;
    files['d/readme.md'] = new Blob(['#']);
    const plan = await planImageSet(folder(files), { size: 64, color: 'rgb' });
    expect(plan.classes).to.deep.equal([
      { name: 'class1', count: 3 },
      { name: 'class2', count: 3 },
      { name: 'class10', count: 3 },
    ]);
    expect(plan.memory.level).to.equal('ok');
    expect(plan.skipped).to.have.length(1);
    const refused = await rejection(planImageSet(folder({ 'd/only/1.png': png, 'd/only/2.png': png }), { size: 32, color: 'rgb' }));
    expect(refused.message).to.equal('found 1 class folder (only) with images in "d"; need at least 2 sub-folders, one per class');
  });

  it('a zip of three class folders under a top folder, with __MACOSX, loads with the folder names; same folder hash as the folder', async () => {
    const names = ['zebra', 'apple', 'mango'];
    const colours: [number, number, number, number][] = [RED, BLUE, [0, 255, 0, 1]];
    const entries: { path: string; data: Blob }[] = [];
    for (const [c, name] of names.entries()) {
      for (let i = 1; i <= 4; i++) entries.push({ path: `fruit/${name}/${i}.png`, data: await solid(6 + i, 6, colours[c]) });
    }
    entries.push({ path: '__MACOSX/fruit/zebra/._1.png', data: new Blob(['fork']) });
    entries.push({ path: 'fruit/.DS_Store', data: new Blob(['x']) });
    const zip = await writeZip(entries, { date: new Date(2026, 0, 1) });
    const input = imageInputFromFiles([new File([zip], 'fruit.zip')]);
    expect(input.kind).to.equal('zip');
    const { dataset, info } = await loadImageSet(input, { size: 32, color: 'rgb' });
    expect(dataset.classNames).to.deep.equal(['apple', 'mango', 'zebra']);
    expect(dataset.numSamples).to.equal(12);
    expect(Array.from(dataset.labels)).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const per = 32 * 32 * 3;
    expect(near(channel(dataset.features, 0, per, 3, 2), 1)).to.equal(true); // apple is blue
    expect(near(channel(dataset.features, 11, per, 3, 0), 1)).to.equal(true); // zebra is red
    expect(info.source).to.equal('zip');
    expect(info.root).to.equal('fruit/');
    expect(info.ignored).to.equal(2);
    expect(info.skipped).to.deep.equal([]);
    expect(info.zipSha256).to.equal(await sha256Hex(await zip.arrayBuffer()));
    expect(info.zipBytes).to.equal(zip.size);
    expect(info.fileCount).to.equal(12);
    expect(info.totalBytes).to.equal(entries.slice(0, 12).reduce((s, e) => s + e.data.size, 0));
    expect(JSON.parse(JSON.stringify(info))).to.deep.equal(info);
    expect(dataset.name).to.equal('fruit.zip (3 classes, 32×32 RGB)');
    expect(dataset.source).to.equal(`images:zip "fruit.zip" sha256=${info.folderSha256} size=32 color=rgb resize=cover-center-crop`);

    // The same images as a picked folder with another wrapper name: the same folder hash.
    const asFolder = folder(Object.fromEntries(entries.slice(0, 12).map((e) => [e.path.replace('fruit/', 'my fruit/'), e.data])));
    const fromFolder = (await loadImageSet(asFolder, { size: 32, color: 'rgb' })).info;
    expect(fromFolder.folderSha256).to.equal(info.folderSha256);
    expect(fromFolder.zipSha256).to.equal(undefined);
  });

  it('takes a picked folder by its files\' webkitRelativePath', async () => {
    const picked = await Promise.all(
      ['pets/cats/1.png', 'pets/dogs/1.png'].map(async (path, i) => {
        const file = new File([await solid(4, 4, i ? BLUE : RED)], path.split('/').pop()!);
        return Object.defineProperty(file, 'webkitRelativePath', { value: path });
      }),
    );
    const input = imageInputFromFiles(picked);
    expect(input.kind).to.equal('folder');
    const { dataset, info } = await loadImageSet(input, { size: 28, color: 'grayscale' });
    expect(dataset.classNames).to.deep.equal(['cats', 'dogs']);
    expect(info.name).to.equal('pets');
    expect(info.root).to.equal('pets/');
    expect(info.source).to.equal('folder');
  });

  it('refuses a set past the memory hard limit before decoding any of it', async () => {
    // 20,400 × 64 × 64 × 3 × 4 × 4 copies ≈ 4.01 GB > 4 GB; decoding them all would take many seconds.
    const png = await solid(4, 4, RED);
    const files = Array.from({ length: 20_400 }, (_, i) => ({ path: `big/c${i % 2}/${i}.png`, blob: png }));
    const t0 = performance.now();
    const plan = await planImageSet({ kind: 'folder', files }, { size: 64, color: 'rgb' });
    expect(plan.memory.level).to.equal('refuse');
    const err = await rejection(loadImageSet({ kind: 'folder', files }, { size: 64, color: 'rgb' }));
    expect(err).to.be.instanceOf(DatasetError);
    expect(err.message).to.equal(plan.memory.message);
    expect(err.message).to.match(/^20,400 images at 64×64 RGB need about 4\.01 GB .* past the 4\.00 GB a browser tab can hold/);
    expect(performance.now() - t0).to.be.below(5000);
  });

  it('refuses what is not a zip with the reason', async () => {
    const err = await rejection(loadImageSet({ kind: 'zip', name: 'x.zip', blob: noise(500) }, { size: 28, color: 'rgb' }));
    expect(err).to.be.instanceOf(DatasetError);
    expect(err.message).to.match(/^"x\.zip" cannot be opened as a zip: not a zip file/);
  });

  it('reports progress and stops promptly when cancelled; decodes 300 64×64 PNGs to 32×32 RGB (rate logged)', async () => {
    const files: Record<string, Blob> = {};
    for (let i = 0; i < 300; i++) {
      files[`bench/class${i % 3}/${i}.png`] = await drawn(64, 64, (ctx, w, h) => {
        const g = ctx.createLinearGradient(0, 0, w, h);
        g.addColorStop(0, `hsl(${i * 7} 80% 50%)`);
        g.addColorStop(1, `hsl(${i * 13} 60% 30%)`);
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, w, h);
        ctx.fillStyle = '#fff';
        ctx.fillText(String(i), 10 + (i % 30), 30);
      });
    }
    const input = folder(files);
    const seen: number[] = [];
    const t0 = performance.now();
    const { dataset } = await loadImageSet(input, { size: 32, color: 'rgb' }, { onProgress: (p) => seen.push(p.done / p.total) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`image decode rate: 300 PNGs 64x64 -> 32x32 RGB in ${seconds.toFixed(2)} s = ${(300 / seconds).toFixed(0)} images/s (worker start included)`);
    expect(dataset.numSamples).to.equal(300);
    expect(seen[seen.length - 1]).to.equal(1);
    expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));

    const ctl = new AbortController();
    let cancelledAt = 0;
    const loading = loadImageSet(input, { size: 32, color: 'rgb' }, {
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.done > 0 && !ctl.signal.aborted) {
          cancelledAt = performance.now();
          ctl.abort();
        }
      },
    });
    const err = await rejection(loading);
    expect(err.name).to.equal('AbortError');
    expect(performance.now() - cancelledAt).to.be.below(100);
    expect(await rejection(loadImageSet(input, { size: 32, color: 'rgb' }, { signal: ctl.signal }))).to.have.property('name', 'AbortError');
  });
});
