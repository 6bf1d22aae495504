// CRC-32 (IEEE 802.3 / ISO-HDLC), as zip and PNG use it: one table for the PNG pHYs writer, the zip
// reader and the backup's zip writer.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 continued over `bytes` (start with 0); unsigned. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32 of `bytes`; unsigned. */
export const crc32 = (bytes: Uint8Array): number => crc32Update(0, bytes);
