// The zip writer: JSZip, loaded on first use. Text is deflated; weights and PNGs (already
// compressed, floats barely compress) are stored. Generation runs in slices with progress and
// stops on abort.

export interface ZipEntry {
  path: string;
  data: string | ArrayBuffer | Uint8Array | Blob;
  store?: boolean; // STORE instead of DEFLATE
}

export interface ZipOptions {
  date?: Date; // the entries' modification time (folders included); the clock without one
  onProgress?: (fraction: number, file: string) => void;
  signal?: AbortSignal;
}

export async function writeZip(entries: readonly ZipEntry[], opts: ZipOptions = {}): Promise<Blob> {
  const { default: JSZip } = await import('jszip');
  opts.signal?.throwIfAborted();
  const zip = new JSZip();
  const date = opts.date ?? new Date();
  for (const e of entries) {
    zip.file(e.path, e.data, {
      binary: typeof e.data !== 'string',
      compression: e.store ? 'STORE' : 'DEFLATE',
      compressionOptions: e.store ? undefined : { level: 6 },
      date,
      createFolders: true,
    });
  }
  // createFolders dates the folder entries it adds with the clock, not the file's date: give them
  // the one date too, so that the same entries and date always make the same bytes (entry order is
  // the order of `entries`, each folder just before its first file; platform and levels are fixed).
  zip.forEach((_, f) => {
    f.date = date;
  });
  const helper = zip.generateInternalStream({ type: 'blob', mimeType: 'application/zip', platform: 'UNIX', streamFiles: false });
  return new Promise<Blob>((resolve, reject) => {
    const signal = opts.signal;
    const onAbort = () => {
      helper.pause();
      reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    helper
      .accumulate((meta) => opts.onProgress?.(meta.percent / 100, meta.currentFile ?? ''))
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener('abort', onAbort));
    helper.resume();
  });
}
