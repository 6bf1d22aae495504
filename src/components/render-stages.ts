// Draws a component in stages, a frame apart, so that a large first render (hundreds of compared
// runs) never blocks the page in one long task: the host renders what `shown` allows, and each
// stage adds to it once the last one is laid out and painted (its own script task, and its own
// frame's layout). `done` resolves when every stage is shown (the host's updateComplete waits on it).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { tick } from '../app/backup-util';

/** Hidden tabs draw no frames: a stage waits this long for one at most. */
const FRAME_WAIT_MS = 100;

/** Resolves in a task of its own after the next frame is drawn (or after FRAME_WAIT_MS without one). */
function afterNextFrame(): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FRAME_WAIT_MS);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      void tick().then(resolve); // rAF runs before the frame's layout and paint: continue after them
    });
  });
}

export class RenderStages implements ReactiveController {
  /** Stages shown so far: all of them unless restart() was called. */
  shown: number;
  /** Resolves when every stage is shown. */
  done: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly host: ReactiveControllerHost, public count: number) {
    this.shown = count;
    host.addController(this);
  }

  /** Off the page: nothing more to stage (it is drawn whole if it comes back). */
  hostDisconnected() {
    this.shown = this.count;
  }

  /** Shows `first` stages now (in the update under way when called from willUpdate) and one more each frame, up to `count`. */
  restart(count: number, first = 1) {
    this.count = count;
    this.shown = Math.min(first, count);
    if (!this.running && this.shown < count) this.done = this.run();
  }

  private async run() {
    this.running = true;
    try {
      while (this.shown < this.count) {
        await afterNextFrame();
        this.shown++;
        this.host.requestUpdate();
      }
    } finally {
      this.running = false;
    }
  }
}
