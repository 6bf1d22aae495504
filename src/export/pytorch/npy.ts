// NumPy's .npy format (version 1.0) for a float32 array: what np.load reads. Pure: no DOM.
// Layout: the magic "\x93NUMPY", the version (1, 0), the header's length (uint16, little-endian),
// the header (a Python dict literal, padded with spaces and ended by "\n" so that the data starts
// on a 64-byte boundary), then the values as little-endian float32 in C order.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE = MAGIC.length + 2 + 2; // magic, version, header length
const ALIGN = 64;

/** The header dict as NumPy writes it: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
export function npyHeader(shape: readonly number[]): string {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new RangeError(`invalid .npy shape: [${shape.join(', ')}]`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  const padded = Math.ceil((PREAMBLE + dict.length + 1) / ALIGN) * ALIGN - PREAMBLE;
  return dict.padEnd(padded - 1, ' ') + '\n';
}

/** `values` (C order, `shape`'s product of them) as the bytes of a .npy file. */
export function npyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`.npy shape [${shape.join(', ')}] holds ${count} values, got ${values.length}`);
  const header = npyHeader(shape);
  if (header.length > 0xffff) throw new RangeError('.npy header too long');
  const out = new Uint8Array(PREAMBLE + header.length + 4 * values.length);
  out.set(MAGIC, 0);
  out.set([1, 0], MAGIC.length);
  const view = new DataView(out.buffer);
  view.setUint16(MAGIC.length + 2, header.length, true);
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i);
  const start = PREAMBLE + header.length;
  for (let i = 0; i < values.length; i++) view.setFloat32(start + 4 * i, values[i], true);
  return out;
}
