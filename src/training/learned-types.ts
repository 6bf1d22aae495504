// What a run shows of what its model learned (issue 12), shared by the trainer, the recorder, the
// exporters and the views: the decision boundary of a 2-feature model and the per-class recall of
// each epoch. Pure types, no tfjs.

/**
 * The model's predicted class over a square grid on the plane of a 2-feature dataset. The extent is
 * in the dataset's own feature units (as the scatter plot shows them, before any standardisation the
 * trainer applies); each cell's value is the model's prediction at the cell's centre.
 */
export interface BoundaryGrid {
  epoch: number; // the epoch whose weights drew it
  size: number; // cells per side
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** The predicted class per cell, row-major, size × size: row 0 is yMin (the bottom), column 0 is xMin. */
  classes: Uint8Array;
  /** The predicted class's probability per cell (0–1), same layout. */
  confidence: Float32Array;
}

/** One epoch's recall of each class on the validation split, in percent; null for a class with no validation rows. */
export interface ClassRecallEpoch {
  epoch: number;
  recall: (number | null)[];
}
