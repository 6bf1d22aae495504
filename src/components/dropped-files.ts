// Files and folders dropped on the page as SourceFiles: a dropped folder is walked (paths relative
// to it, like <input webkitdirectory>), a dropped file keeps its name.
import type { SourceFile } from '../compare/import-sources';

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: SourceFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry);
    out.push({ name: file.name, path: entry.fullPath.replace(/^\//, ''), blob: file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns the entries in batches (100 in Chromium) until an empty one.
    for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}

export async function filesFromDrop(data: DataTransfer): Promise<SourceFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...data.files].map((f) => ({ name: f.name, path: f.name, blob: f }));
  const out: SourceFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}
