// Copies the tfjs wasm binaries into public/tfjs-wasm/ so Vite serves and bundles them as-is: the
// plain and SIMD builds, and the threaded SIMD build that backend.ts picks where the page is
// cross-origin isolated (its JavaScript glue is bundled from the package; only the .wasm is fetched).
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const src = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const dest = 'public/tfjs-wasm';
const files = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

if (!existsSync(src)) {
  console.error(`copy-wasm: ${src} is missing; run npm install first`);
  process.exit(1);
}
mkdirSync(dest, { recursive: true });
let copied = 0;
for (const f of files) {
  const from = join(src, f);
  const to = join(dest, f);
  if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue;
  copyFileSync(from, to);
  copied++;
}
console.log(`copy-wasm: ${copied} of ${files.length} wasm files copied to ${dest}/`);
