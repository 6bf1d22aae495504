#!/usr/bin/env node
// The system packages the tests need, and the one place that installs them: `npm test`
// (scripts/run-tests.mjs) and CI (.ci/run) both call this, so they cannot drift. No dependencies:
// it runs before `npm ci`.
//
// Each entry of NEEDS says what is checked, the Debian package that provides it and why. When
// everything is there it prints one line and installs nothing. When something is missing and this
// process may install (root, or passwordless sudo, and apt-get exists), it runs `apt-get update`
// and then ONE `apt-get install` for all missing packages; otherwise it prints the one command to
// run and exits 1.
//
// Environment:
//   TRAINLAB_NO_INSTALL=1            never run apt-get: print the command to run instead (exit 1)
//   TRAINLAB_ASSUME_MISSING=a,b      treat these entries (by name) as missing (to test this script)
//   CHROMIUM_PATH                    a Chromium of your own instead of Debian's /usr/bin/chromium
//   TRAINLAB_TORCH_PYTHON            the Python with PyTorch for the export test (default Debian's /usr/bin/python3)
//
// A later need is one more entry: { name, pkg, why, present: () => … }. Python modules from Debian's
// packages (python3-torch, …) install for Debian's own /usr/bin/python3, so their checks run that one:
// the `python3` first on PATH may be another Python (pyenv, a virtual environment) without them.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `command -v`: is `name` an executable file in a folder of PATH? */
export function onPath(name, path = process.env.PATH ?? '') {
  return path.split(delimiter).some((dir) => dir !== '' && executable(join(dir, name)));
}

/** Does the command run and exit 0? */
export function runs(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const chromium = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
export const torchPython = process.env.TRAINLAB_TORCH_PYTHON || '/usr/bin/python3';
const imports = (module) => () => runs(torchPython, ['-c', `import ${module}`]);

export const NEEDS = [
  {
    name: 'chromium',
    pkg: 'chromium',
    why: `the headless browser of the unit, component and end-to-end tests (${chromium})`,
    present: () => executable(chromium),
  },
  {
    name: 'pdflatex',
    pkg: 'texlive-latex-recommended',
    why: 'compiles the exported LaTeX tables (those tests skip without it; CI must run them)',
    present: () => onPath('pdflatex'),
  },
  {
    name: 'python3',
    pkg: 'python3',
    why: "the end-to-end tests read exported zips and CSVs with Python's zipfile and csv",
    present: () => onPath('python3'),
  },
  {
    name: 'torch',
    pkg: 'python3-torch',
    why: `the PyTorch export test runs the exported train.py with Debian's PyTorch (${torchPython})`,
    present: imports('torch'),
  },
  {
    name: 'numpy',
    pkg: 'python3-numpy',
    why: `train.py reads and writes its arrays with NumPy (${torchPython})`,
    present: imports('numpy'),
  },
  {
    name: 'matplotlib',
    pkg: 'python3-matplotlib',
    why: `train.py draws the run folder's figures with matplotlib; the export test checks them (${torchPython})`,
    present: imports('matplotlib'),
  },
];

const log = (line) => console.log(`system-deps: ${line}`);

function assumedMissing() {
  const names = (process.env.TRAINLAB_ASSUME_MISSING ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !NEEDS.some((need) => need.name === n));
  if (unknown.length > 0) {
    throw new Error(`TRAINLAB_ASSUME_MISSING names no known check: ${unknown.join(', ')} (known: ${NEEDS.map((n) => n.name).join(', ')})`);
  }
  return new Set(names);
}

/** How this process may run apt-get: prefix [] (as root), ['sudo', '-n'] (passwordless sudo), or null with why. */
function installer() {
  if (process.env.TRAINLAB_NO_INSTALL && process.env.TRAINLAB_NO_INSTALL !== '0') return { may: null, why: 'TRAINLAB_NO_INSTALL is set' };
  if (!onPath('apt-get')) return { may: null, why: 'apt-get is not on PATH: not Debian?' };
  if (process.getuid?.() === 0) return { may: [] };
  if (!onPath('sudo')) return { may: null, why: 'not root, and no sudo' };
  if (runs('sudo', ['-n', 'true'])) return { may: ['sudo', '-n'] };
  return { may: null, why: 'not root, and sudo asks for a password' };
}

function aptCommandLine(pkgs) {
  const root = process.getuid?.() === 0;
  const sudo = root || !onPath('sudo') ? '' : 'sudo ';
  const line = `${sudo}apt-get update && ${sudo}apt-get install -y ${pkgs.join(' ')}`;
  return root || sudo ? line : `${line}   (as root)`;
}

function apt(prefix, args) {
  const [cmd, ...rest] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
  const result = spawnSync(cmd, rest, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.status === 0) return true;
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
  console.error(`system-deps: apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${out}`);
  return false;
}

/**
 * Checks every need; installs what is missing when it may. Returns true when everything the tests
 * need is there (after installing), false after printing what to do.
 */
export function ensureSystemDeps() {
  const forced = assumedMissing();
  const check = () => NEEDS.filter((need) => forced.has(need.name) || !need.present());
  const missing = check();
  if (missing.length === 0) {
    log(`${NEEDS.map((n) => n.name).join(', ')} present; nothing to install`);
    return true;
  }
  for (const need of missing) log(`missing ${need.name} (Debian package ${need.pkg}): ${need.why}`);

  if (process.env.CHROMIUM_PATH && chromium !== DEFAULT_CHROMIUM && missing.some((n) => n.name === 'chromium')) {
    console.error(`system-deps: CHROMIUM_PATH=${chromium} is not an executable file; fix it, or unset it to use Debian's chromium`);
    return false;
  }
  const pkgs = [...new Set(missing.map((n) => n.pkg))];
  const { may, why } = installer();
  if (!may) {
    const todo = onPath('apt-get')
      ? `Run this once, then the tests again:\n  ${aptCommandLine(pkgs)}`
      : `Install these (Debian's names) with the system's package manager: ${pkgs.join(' ')}`;
    console.error(`system-deps: not installing (${why}). ${todo}`);
    return false;
  }
  const started = Date.now();
  log(`installing ${pkgs.join(' ')} with apt-get (a few minutes the first time)`);
  if (!apt(may, ['update', '-qq']) || !apt(may, ['install', '-y', '-qq', ...pkgs])) return false;
  // Check again, for real (a forced-missing entry that is still absent after installing is an error too).
  const still = NEEDS.filter((need) => !need.present() && missing.includes(need));
  if (still.length > 0) {
    console.error(`system-deps: still missing after apt-get install: ${still.map((n) => `${n.name} (${n.pkg})`).join(', ')}`);
    return false;
  }
  log(`installed ${pkgs.join(' ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exit(ensureSystemDeps() ? 0 : 1);
  } catch (error) {
    console.error(`system-deps: ${error.message}`);
    process.exit(1);
  }
}
