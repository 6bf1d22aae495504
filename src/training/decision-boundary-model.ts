// The decision boundary's model side, run by the trainer: the grid's inputs are uploaded once per
// run, each map is one predict of the whole grid (10,000 points) read back once, and maps are drawn
// only while they cost at most 5 % of the training time (BoundaryBudget). A failure here never stops
// training: the run goes on without maps.
import * as tf from '@tensorflow/tfjs';
import {
  BOUNDARY_SIZE,
  BoundaryBudget,
  boundaryPoints,
  gridFromProbabilities,
  gridInputs,
  planeOf,
  splitExtent,
  type DecisionBoundary,
  type PlaneExtent,
  type PlaneSplit,
  type PlaneTransform,
} from './decision-boundary';
import type { BoundaryGrid } from './learned-types';

export class BoundaryProbe {
  private readonly budget = new BoundaryBudget();
  private failed = false;

  private constructor(
    private readonly split: PlaneSplit,
    private readonly plane: PlaneTransform,
    private readonly extent: PlaneExtent,
    private readonly inputs: tf.Tensor2D,
    private readonly numClasses: number,
    readonly size: number,
  ) {}

  /** A probe for a 2-feature tabular split; null for any other (images, more features). */
  static create(split: PlaneSplit, size = BOUNDARY_SIZE): BoundaryProbe | null {
    const plane = planeOf(split);
    if (!plane) return null;
    const extent = splitExtent(split, plane);
    const inputs = tf.tensor2d(gridInputs(extent, size, plane), [size * size, 2]);
    return new BoundaryProbe(split, plane, extent, inputs, split.classNames.length, size);
  }

  /** The map of the model's current weights (one predict, one read back). */
  async grid(model: tf.LayersModel, epoch: number): Promise<BoundaryGrid> {
    // One batch of all the cells (predict's default batch of 32 would take 313 steps).
    const probs = tf.tidy(() => model.predict(this.inputs, { batchSize: this.size * this.size }) as tf.Tensor);
    try {
      return gridFromProbabilities(await probs.data(), this.numClasses, this.extent, this.size, epoch);
    } finally {
      probs.dispose();
    }
  }

  /**
   * Times one map of the untrained model before training (its kernels warmed up as well), so that the
   * budget knows a map's cost before the first epoch; the map is not kept.
   */
  async calibrate(model: tf.LayersModel): Promise<void> {
    try {
      await this.grid(model, 0); // the first call compiles or warms the kernels
      const t0 = performance.now();
      await this.grid(model, 0);
      this.budget.expect((performance.now() - t0) / 1000);
    } catch {
      this.failed = true;
    }
  }

  /** After an epoch that trained for `trainSeconds`: its map when one fits the 5 % budget, else undefined. */
  async atEpoch(model: tf.LayersModel, epoch: number, trainSeconds: number): Promise<BoundaryGrid | undefined> {
    if (this.failed || !this.budget.due(trainSeconds)) return undefined;
    const t0 = performance.now();
    try {
      return await this.grid(model, epoch);
    } catch {
      this.failed = true; // e.g. out of memory: training matters more than its picture
      return undefined;
    } finally {
      this.budget.spend((performance.now() - t0) / 1000);
    }
  }


  /** The map of the tested weights (`epoch`: whose they are) and every point, test points with their predicted class. */
  async final(model: tf.LayersModel, epoch: number, testPredicted: Int32Array | null): Promise<DecisionBoundary | undefined> {
    if (this.failed) return undefined;
    try {
      return { grid: await this.grid(model, epoch), points: boundaryPoints(this.split, this.plane, testPredicted) };
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.inputs.dispose();
  }
}
