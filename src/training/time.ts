// ISO 8601 timestamps with the local UTC offset (2026-11-26T19:20:00.123+01:00), as the run record
// requires; Date.toISOString() only gives UTC with a 'Z'.

/** `n` as a zero-padded decimal of `width` digits. */
export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `date` in local time with its UTC offset, millisecond precision: 2026-11-26T19:20:00.123+01:00. */
export function isoWithOffset(date: Date = new Date()): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const offsetMin = -date.getTimezoneOffset(); // minutes east of UTC
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
