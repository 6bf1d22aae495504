// The zip writer: JSZip, loaded on first use. Text is deflated; weights and PNGs (already
// compressed, floats barely compress) are stored. Generation runs in slices with progress and
// stops on abort.

export interface ZipEntry {
  path: string;
  data: string | ArrayBuffer | Uint8Array | Blob;
  store?: boolean; // STORE instead of DEFLATE
}

export interface ZipOptions {
  date?: Date; // the entries' modification time
  onProgress?: (fraction: number, file: string) => void;
  signal?: AbortSignal;
}

export async function writeZip(entries: readonly ZipEntry[], opts: ZipOptions = {}): Promise<Blob> {
  const { default: JSZip } = await import('jszip');
  opts.signal?.throwIfAborted();
  const zip = new JSZip();
  for (const e of entries) {
    zip.file(e.path, e.data, {
      binary: typeof e.data !== 'string',
      compression: e.store ? 'STORE' : 'DEFLATE',
      compressionOptions: e.store ? undefined : { level: 6 },
      date: opts.date,
      createFolders: true,
    });
  }
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
