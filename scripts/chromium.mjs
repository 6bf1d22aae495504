// The one place that says how tests and benchmarks start Chromium: Debian's binary (nothing is
// downloaded) with real WebGPU, on the SwiftShader software adapter unless BENCH_REAL_GPU is set.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumPath() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; \`node scripts/system-deps.mjs\` installs Debian's chromium (npm test runs it), or set CHROMIUM_PATH`);
  }
  return CHROMIUM_PATH;
}

const SOFTWARE_WEBGPU = ['--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  ...(process.env.BENCH_REAL_GPU ? [] : SOFTWARE_WEBGPU),
  // The machine's network is closed: no background connections that fail at every start.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
