import { expect } from '@esm-bundle/chai';
import { DatasetError } from '../../src/training/datasets/errors';
import { groupImageFiles, isIgnoredPath, naturalCompare, requireTwoClasses, type ListedFile } from '../../src/training/datasets/images/image-files';
import { checkImageOptions, estimateImageMemory, MEMORY_BUDGET_BYTES, MEMORY_COPY_FACTOR, MEMORY_HARD_LIMIT_BYTES } from '../../src/training/datasets/images/image-limits';
import { folderHashText, folderSha256, sha256Hex } from '../../src/training/datasets/images/image-provenance';

const files = (...paths: string[]): ListedFile[] => paths.map((path) => ({ path, bytes: 100 }));
const classesOf = (plan: ReturnType<typeof groupImageFiles>) => plan.classes.map((c) => [c.name, c.images.map((i) => i.relPath)]);

describe('image files: classes from folders', () => {
  it('a picked folder: the root folder is removed, its sub-folders are the classes, deeper images belong to them', () => {
    const plan = groupImageFiles(files('pets/dogs/b.png', 'pets/cats/a.jpg', 'pets/cats/indoor/c.JPEG', 'pets/dogs/a.webp'), true);
    expect(plan.root).to.equal('pets/');
    expect(classesOf(plan)).to.deep.equal([
      ['cats', ['cats/a.jpg', 'cats/indoor/c.JPEG']],
      ['dogs', ['dogs/a.webp', 'dogs/b.png']],
    ]);
    expect(plan.classes[0].images[0].path).to.equal('pets/cats/a.jpg');
    expect(plan.imageCount).to.equal(4);
    expect(plan.imageBytes).to.equal(400);
  });

  it('removes wrapper folders down to the level that splits the images (folder and zip)', () => {
    expect(groupImageFiles(files('pets/train/cats/1.png', 'pets/train/dogs/1.png'), true).root).to.equal('pets/train/');
    expect(groupImageFiles(files('data/cats/1.png', 'data/dogs/1.png'), false).root).to.equal('data/');
    const flat = groupImageFiles(files('cats/1.png', 'dogs/1.png'), false);
    expect(flat.root).to.equal('');
    expect(classesOf(flat)).to.deep.equal([['cats', ['cats/1.png']], ['dogs', ['dogs/1.png']]]);
    // A README beside the top folder of a zip does not hide the wrapper.
    const zip = groupImageFiles(files('README.md', 'set/a/1.png', 'set/b/1.png'), false);
    expect(zip.root).to.equal('set/');
    expect(zip.skipped).to.deep.equal([{ path: 'README.md', reason: 'not an image (.md; PNG, JPEG, WebP, GIF and BMP are read)' }]);
  });

  it('lists images directly in the root as skipped, never as a class', () => {
    const plan = groupImageFiles(files('pets/cover.png', 'pets/cats/1.png', 'pets/dogs/1.png'), true);
    expect(plan.classes.map((c) => c.name)).to.deep.equal(['cats', 'dogs']);
    expect(plan.rootImages).to.equal(1);
    expect(plan.skipped).to.deep.equal([{ path: 'pets/cover.png', reason: 'in no class folder: it lies directly in "pets"' }]);
    const zip = groupImageFiles(files('cover.png', 'cats/1.png', 'dogs/1.png'), false);
    expect(zip.skipped[0].reason).to.equal('in no class folder: it lies directly in the root');
  });

  it('ignores __MACOSX, dotfiles, dot-folders, Thumbs.db and desktop.ini; skips other files with a reason', () => {
    const plan = groupImageFiles(
      files('z/__MACOSX/z/cats/._1.png', 'z/cats/._1.png', 'z/.git/x.png', 'z/cats/.DS_Store', 'z/cats/Thumbs.db', 'z/dogs/desktop.ini',
        'z/cats/1.png', 'z/dogs/1.png', 'z/dogs/2.tiff', 'z/dogs/inner.zip', 'z/dogs/LICENSE'),
      true,
    );
    expect(plan.ignored).to.equal(6);
    expect(classesOf(plan)).to.deep.equal([['cats', ['cats/1.png']], ['dogs', ['dogs/1.png']]]);
    expect(plan.skipped.map((s) => s.reason)).to.deep.equal([
      '.tiff images are not read (PNG, JPEG, WebP, GIF and BMP are)',
      'a zip inside the set is not opened: choose that zip itself',
      'not an image (no extension; PNG, JPEG, WebP, GIF and BMP are read)',
    ]);
    expect(isIgnoredPath('__MACOSX/a.png')).to.equal(true);
    expect(isIgnoredPath('cats/a.png')).to.equal(false);
  });

  it('skips empty and too large files, before reading them', () => {
    const plan = groupImageFiles(
      [{ path: 'd/a/1.png', bytes: 0 }, { path: 'd/a/2.png', bytes: 60e6 }, { path: 'd/a/3.png', bytes: 5 }, { path: 'd/b/1.png', bytes: 5 }],
      true,
    );
    expect(plan.imageCount).to.equal(2);
    expect(plan.skipped.map((s) => s.reason)).to.deep.equal(['empty file (0 bytes)', '60.0 MB: larger than the 50.0 MB limit for one image']);
  });

  it('sorts classes and files naturally: class2 before class10, in every locale', () => {
    const plan = groupImageFiles(files('r/class10/img10.png', 'r/class2/img2.png', 'r/class2/img10.png', 'r/class1/x.png'), true);
    expect(classesOf(plan)).to.deep.equal([
      ['class1', ['class1/x.png']],
      ['class2', ['class2/img2.png', 'class2/img10.png']],
      ['class10', ['class10/img10.png']],
    ]);
    const names = ['b', 'a10', 'a2', 'A', 'a02', 'a1b', 'a', '10', '9', 'x007', 'x7'];
    expect([...names].sort(naturalCompare)).to.deep.equal(['9', '10', 'A', 'a', 'a1b', 'a02', 'a2', 'a10', 'b', 'x007', 'x7']);
    expect(naturalCompare('a', 'a')).to.equal(0);
  });

  it('refuses fewer than two classes with the reason', () => {
    const one = groupImageFiles(files('pets/cats/1.png', 'pets/cats/2.png'), true);
    expect(() => requireTwoClasses(one.classes.map((c) => c.name), one, 'pets'))
      .to.throw(DatasetError)
      .with.property('message', 'found 1 class folder (cats) with images in "pets"; need at least 2 sub-folders, one per class');
    const flat = groupImageFiles(files('pets/1.png', 'pets/2.png', 'pets/a.txt'), true);
    expect(() => requireTwoClasses([], flat, 'pets')).to.throw(DatasetError).with.property(
      'message',
      'found no class folder with images in "pets"; need at least 2 sub-folders, one per class ' +
        '(2 images directly in "pets" belong to no class; 1 other file skipped)',
    );
    expect(() => requireTwoClasses(['a', 'b'], flat, 'pets')).not.to.throw();
  });
});

describe('image set provenance: the folder hash', () => {
  it('is the SHA-256 of sha256sum lines sorted by UTF-8 path, as the shell computes it', async () => {
    // Expected value: in a folder with these five files,
    //   find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum
    const contents: Record<string, string> = { 'dogs/2.png': 'bark', 'émus/1.png': 'big bird', 'cats/Z.png': 'x', 'dogs/10.png': 'woof', 'cats/001.jpg': 'meow' };
    const used = await Promise.all(
      Object.entries(contents).map(async ([relPath, text]) => ({ relPath, sha256: await sha256Hex(new TextEncoder().encode(text)) })),
    );
    expect(folderHashText(used)).to.equal(
      [
        '404cdd7bc109c432f8cc2443b45bcfe95980f5107215c645236e577929ac3e52  cats/001.jpg',
        '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  cats/Z.png',
        '1811bdd29f2cfe95e6e23402e2390fa1012708fc52ef8b8a29ee540b1c481534  dogs/10.png',
        '14ea6507645c2ba7e973ea87444bf0470fc2e1f4b64f4f692f736acf9a4dec8a  dogs/2.png',
        '0799deacc80aa96ab5fba2e4cff2e6d8660ee54b11a84573a5a6f0b385e45522  émus/1.png',
        '',
      ].join('\n'),
    );
    expect(await folderSha256(used)).to.equal('b27dc41b93b0dd5bab4a44c4d4ba5efc21d2511023409aa0d4159bacd2e2dc7a');
    expect(await folderSha256(used.slice(1))).not.to.equal(await folderSha256(used));
  });
});

describe('image set memory estimate', () => {
  it('is n × s × s × c × 4 × the copy factor, against the budget and the hard limit', () => {
    const ok = estimateImageMemory(1000, { size: 32, color: 'rgb' });
    expect(ok.bytesPerImage).to.equal(32 * 32 * 3 * 4);
    expect(ok.datasetBytes).to.equal(1000 * 12288);
    expect(ok.estimatedBytes).to.equal(1000 * 12288 * MEMORY_COPY_FACTOR);
    expect(ok.level).to.equal('ok');
    expect(ok.message).to.equal(null);

    // 6000 × 64 × 64 × 3 × 4 = 294,912,000 bytes, × 4 = 1,179,648,000 > MEMORY_BUDGET_BYTES.
    expect(MEMORY_BUDGET_BYTES).to.equal(1e9);
    const n = 6000;
    const warn = estimateImageMemory(n, { size: 64, color: 'rgb' });
    expect(warn.level).to.equal('warn');
    expect(warn.estimatedBytes).to.equal(1_179_648_000);
    expect(warn.message).to.equal(
      '6,000 images at 64×64 RGB need about 1.18 GB (294.9 MB of samples × 4 for the split and training copies), ' +
        'above the 1.00 GB budget: the page may slow down or the tab run out of memory; choose a smaller size or grayscale, or use fewer images, or go on',
    );
    expect(estimateImageMemory(n, { size: 64, color: 'grayscale' }).level).to.equal('ok');

    const huge = estimateImageMemory(Math.ceil(MEMORY_HARD_LIMIT_BYTES / (28 * 28 * 4 * MEMORY_COPY_FACTOR)) + 1, { size: 28, color: 'grayscale' });
    expect(huge.level).to.equal('refuse');
    expect(huge.message).to.match(/past the 4\.00 GB a browser tab can hold: choose a smaller size or grayscale, or use fewer images$/);
  });

  it('refuses sizes and colour modes it does not offer', () => {
    expect(() => checkImageOptions({ size: 48 as 32, color: 'rgb' }))
      .to.throw(DatasetError)
      .with.property('message', 'image size must be one of 28, 32, 64 (got 48)');
    expect(() => checkImageOptions({ size: 28, color: 'cmyk' as 'rgb' })).to.throw(DatasetError, 'colour mode must be one of grayscale, rgb (got cmyk)');
  });
});
