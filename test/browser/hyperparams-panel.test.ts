import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-hyperparams-panel';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { TrainConfig } from '../../src/training/types';
import { parseLabState } from '../../src/url-state';

describe('tl-hyperparams-panel', () => {
  it('switching the schedule gives the same defaults as the address (?sched=…)', async () => {
    const panel = document.createElement('tl-hyperparams-panel');
    panel.config = structuredClone(DEFAULT_TRAIN_CONFIG);
    document.body.append(panel);
    try {
      await panel.updateComplete;
      for (const kind of ['step', 'cosine', 'plateau'] as const) {
        let emitted: TrainConfig | undefined;
        panel.addEventListener('config-change', (e) => (emitted = e.detail), { once: true });
        const select = panel.shadowRoot!.querySelector<HTMLSelectElement>('select[name="sched"]')!;
        select.value = kind;
        select.dispatchEvent(new Event('change'));
        expect(emitted?.schedule, kind).to.deep.equal(parseLabState(`?sched=${kind}`).state.config.schedule);
      }
    } finally {
      panel.remove();
    }
  });
});
