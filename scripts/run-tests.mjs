// Runs every test suite (browser unit/component tests with @web/test-runner, then the end-to-end
// tests against the built site) and ends with one line `N passed, M failed` over all of them.
import { spawn } from 'node:child_process';
import { ensureSystemDeps } from './system-deps.mjs';

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    const take = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    // Reporters colour their output even when piped; counts are read from the plain text.
    child.on('close', (code) => resolve({ code: code ?? 1, out: out.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

// wtr prints progress lines "… N passed, M failed"; the last one is the total.
function wtrCounts(out) {
  const all = [...out.matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = all.at(-1);
  return last ? { passed: +last[1], failed: +last[2] } : null;
}

// node --test (TAP reporter) ends with "# pass N" and "# fail M".
function nodeTestCounts(out) {
  const pass = out.match(/^# pass (\d+)/m);
  const fail = out.match(/^# fail (\d+)/m);
  return pass && fail ? { passed: +pass[1], failed: +fail[1] } : null;
}

const total = { passed: 0, failed: 0 };
let broken = false;
function add(name, result, counts) {
  if (!counts) {
    console.error(`\n${name}: could not read a test count (exit ${result.code})`);
    broken = true;
    total.failed += 1;
    return;
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  if (result.code !== 0 && counts.failed === 0) {
    console.error(`\n${name}: exited ${result.code} with no failed test reported`);
    broken = true;
    total.failed += 1;
  }
}

// First what the tests need from the system (Chromium, pdflatex, python3): installed when missing
// and allowed, else the command to run is printed and nothing runs.
let depsOk = false;
try {
  depsOk = ensureSystemDeps();
} catch (error) {
  console.error(`system-deps: ${error.message}`);
}
if (!depsOk) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const unit = await run('npx', ['wtr']);
add('web-test-runner', unit, wtrCounts(unit.out));
const isolated = await run('npx', ['wtr', '--config', 'web-test-runner.isolated.config.mjs']);
add('web-test-runner (cross-origin isolated)', isolated, wtrCounts(isolated.out));

const build = await run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (build.code !== 0) {
  console.error('\nvite build failed: end-to-end tests not run');
  total.failed += 1;
  broken = true;
} else {
  const e2e = await run('node', ['--test', '--test-concurrency=1', '--test-reporter=tap', 'test/e2e/']);
  add('end-to-end', e2e, nodeTestCounts(e2e.out));
}

console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || broken ? 1 : 0);
