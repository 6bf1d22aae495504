// Shared by the table tests: files from text or bytes, and expecting a TableError with its message.
import { expect } from '@esm-bundle/chai';
import { TableError } from '../../src/training/datasets/table/table-error';

export const file = (content: string | Uint8Array, name = 'data.csv'): File => new File([content as BlobPart], name);

export const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

/** UTF-16 code units of `text` in little or big endian, after a BOM when asked. */
export function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const units = (bom ? '\uFEFF' : '') + text;
  const out = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const u = units.charCodeAt(i);
    out[2 * i + (endian === 'le' ? 0 : 1)] = u & 0xff;
    out[2 * i + (endian === 'le' ? 1 : 0)] = u >> 8;
  }
  return out;
}

/** Awaits `p`, expecting it to reject with a TableError whose message equals or matches `message`. */
export async function expectTableError(p: Promise<unknown>, message: string | RegExp): Promise<TableError> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  if (error === undefined) expect.fail(`expected a TableError: ${String(message)}`);
  expect(error, String(error)).to.be.instanceOf(TableError);
  const m = (error as Error).message;
  if (typeof message === 'string') expect(m).to.equal(message);
  else expect(m).to.match(message);
  return error as TableError;
}
