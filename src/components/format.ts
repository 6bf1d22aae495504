// Number and shape formatting shared by the panels (page text, not the exported files: those use
// export/text-format.ts).

/** A percentage with two decimals, `–` when there is none: `93.33 %`. */
export const percentText = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${v.toFixed(2)} %`);

/** A layer's output shape with the batch dimension named: `[batch, 28, 28, 8]`. */
export const shapeText = (shape: readonly (number | null)[]): string => `[${shape.map((d) => d ?? 'batch').join(', ')}]`;
