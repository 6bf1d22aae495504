/** Okabe–Ito colour-blind-safe palette, used by live charts, previews and (later) exported figures. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export function classColor(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length];
}

/** Train and validation curves keep one colour each everywhere. */
export const SERIES_COLORS = { train: OKABE_ITO[0], val: OKABE_ITO[1], test: OKABE_ITO[2] } as const;
