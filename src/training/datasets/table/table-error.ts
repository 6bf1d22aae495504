// The error a person's table raises when it cannot be read as given: the message is meant for the
// person, as is, and says what is wrong and where (row numbers are lines of the file, the header 1).
import { DatasetError } from '../errors';

/** Bad table input or options. A DatasetError too, so the page shows it like any dataset error. */
export class TableError extends DatasetError {
  constructor(message: string) {
    super(message);
    this.name = 'TableError';
  }
}

/** 1234567 → "1,234,567": counts in messages. */
export const count = (n: number): string => n.toLocaleString('en-US');
