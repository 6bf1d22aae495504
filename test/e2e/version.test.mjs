import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

it('APP_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const src = readFileSync('src/app-version.ts', 'utf8');
  assert.equal(src.match(/APP_VERSION = '([^']+)'/)?.[1], pkg.version);
});
