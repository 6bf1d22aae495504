// A person's own data as a run record keeps it (run-record.ts: `dataset.data_file`, schema 3).
import type { FittedPreprocessing } from '../training/datasets/table/preprocess-types';
import type { ImageSetInfo } from '../training/datasets/images/image-provenance';

/**
 * A person's own data, as read: a table (a CSV/TSV file or pasted text) with how it was read and the
 * preprocessing fitted on its train split, or an image set (a folder or a zip of class folders).
 * `sha256` is what finds the data again (the kept copy in this browser, a link's `fsha`): the
 * file's bytes for a table or a zip, the folder hash (ImageSetInfo.folderSha256) for a folder.
 */
export type DataFile =
  | {
      kind: 'table';
      name: string; // the file name, or "pasted text"
      bytes: number;
      sha256: string;
      encoding: string;
      delimiter: string;
      decimal_comma: boolean;
      has_header: boolean;
      rows: number; // data rows in the file
      columns: number;
      preprocessing: FittedPreprocessing;
    }
  | {
      kind: 'images';
      name: string; // the folder's or the zip's name
      bytes: number;
      sha256: string;
      images: ImageSetInfo;
    };
