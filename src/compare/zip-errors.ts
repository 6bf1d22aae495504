// The zip reader's errors (named, with messages meant for the user as they are) and its wording of
// sizes and checksums.

/** Not a zip, or a damaged or unsupported one: the message is meant for the user, as is. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

/** Inflating would pass the byte budget; `size` is what it came to (or would have) when refused. */
export class ZipTooLargeError extends Error {
  constructor(message: string, readonly limit: number, readonly size: number) {
    super(message);
    this.name = 'ZipTooLargeError';
  }
}

/** One entry declares more than the limit for one file (`maxEntryBytes`): only that entry is refused. */
export class ZipEntryTooLargeError extends ZipTooLargeError {
  constructor(message: string, limit: number, size: number) {
    super(message, limit, size);
    this.name = 'ZipEntryTooLargeError';
  }
}

export const damaged = (what: string) => new ZipFormatError(`damaged zip: ${what}`);

export const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i === 0 ? n : Number(n.toFixed(1))} ${units[i]}`;
}
