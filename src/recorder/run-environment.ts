// The environment part of a run record (run-record.ts): the browser, the backend and how it was
// chosen, and how each training step was computed.
import type { BackendName, TrainingStep } from '../training/types';

export interface RunEnvironment {
  user_agent: string;
  backend: BackendName | null;
  backend_forced: boolean;
  backends_skipped: { name: BackendName; reason: string }[];
  webgpu_adapter: { vendor: string; architecture: string; device: string; description: string; is_fallback_adapter: boolean } | null;
  webgl_renderer: string | null;
  tfjs_version: string | null;
  app_version: string;
  hardware_concurrency: number | null;
  /** Backends the run moved away from during training (a lost GPU device): from, to, after which epoch, why. */
  backend_switches?: BackendSwitch[];
  /** wasm only: the threads tfjs's wasm backend ran with (1: the single-threaded build). Schema 5; absent before. */
  wasm_threads?: number | null;
  /** The measured automatic choice among several backends (a few training steps of this model on each); schema 5. */
  backend_probe?: BackendProbeRecord | null;
  /** How each training step was computed (the lab's dense step or tfjs's graph); schema 6, absent before. */
  training_step?: TrainingStep | null;
}

/** What the backend probe measured: samples/s per candidate (an upper bound when only its forward pass was timed). */
export interface BackendProbeRecord {
  summary: string;
  cached: boolean; // read from this browser's cache of earlier probes
  ms: number; // the probe's cost
  rates: { name: BackendName; samples_per_sec: number | null; upper_bound: boolean; error: string }[];
}

export interface BackendSwitch {
  from: BackendName;
  to: BackendName;
  after_epoch: number; // the run went on from the snapshot of this epoch (0: started again)
  reason: string;
  time: string;
}
