// Getting a download out of the page and reading it with tools independent of the JSZip that wrote
// it: Python's zipfile (CRCs checked) and csv modules. Shared by the end-to-end tests.
import { execFileSync } from 'node:child_process';

/** Lists and checks (CRC) the zip with Python's zipfile, a reader independent of the one that wrote it; extracts it into `into`. */
export function unzip(zipPath, into) {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint("\\n".join(z.namelist()))';
  return execFileSync('python3', ['-c', script, zipPath, into], { encoding: 'utf8' }).trim().split('\n');
}

/** RFC 4180 with Python's csv module, rows as objects keyed by the header. */
export function readCsv(path) {
  const script = 'import csv, json, sys\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))))';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
}

/** The download that `click` starts. */
export async function download(page, click) {
  const pending = page.waitForEvent('download', { timeout: 120_000 });
  await click();
  return pending;
}
