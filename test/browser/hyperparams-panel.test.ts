import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-hyperparams-panel';
import type { TlHyperparamsPanel } from '../../src/components/tl-hyperparams-panel';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { TrainConfig } from '../../src/training/types';
import { parseLabState } from '../../src/url-state';

/** A panel with the default config in the page while `fn` runs. */
async function withPanel(fn: (panel: TlHyperparamsPanel) => Promise<void> | void): Promise<void> {
  const panel = document.createElement('tl-hyperparams-panel');
  panel.config = structuredClone(DEFAULT_TRAIN_CONFIG);
  document.body.append(panel);
  try {
    await panel.updateComplete;
    await fn(panel);
  } finally {
    panel.remove();
  }
}

/** Picks `value` in the select named `name`; returns the config the panel raised. */
function choose(panel: TlHyperparamsPanel, name: string, value: string): TrainConfig | undefined {
  let emitted: TrainConfig | undefined;
  panel.addEventListener('config-change', (e) => (emitted = e.detail), { once: true });
  const select = panel.shadowRoot!.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  return emitted;
}

describe('tl-hyperparams-panel', () => {
  it('switching the schedule gives the same defaults as the address (?sched=…)', () =>
    withPanel((panel) => {
      for (const kind of ['step', 'cosine', 'plateau'] as const) {
        expect(choose(panel, 'sched', kind)?.schedule, kind).to.deep.equal(parseLabState(`?sched=${kind}`).state.config.schedule);
      }
    }));

  it('the Class weights select raises the change, as ?cw=balanced has it', () =>
    withPanel(async (panel) => {
      const select = panel.shadowRoot!.querySelector<HTMLSelectElement>('select[name="cw"]')!;
      expect(select.closest('label')?.textContent).to.match(/^\s*Class weights/);
      expect(Array.from(select.options, (o) => o.value)).to.deep.equal(['none', 'balanced']);
      expect(select.value).to.equal('none');
      const emitted = choose(panel, 'cw', 'balanced');
      expect(emitted).to.deep.equal({ ...DEFAULT_TRAIN_CONFIG, classWeights: parseLabState('?cw=balanced').state.config.classWeights });
      expect(emitted?.classWeights).to.equal('balanced');
      panel.config = emitted!;
      await panel.updateComplete;
      expect(select.value).to.equal('balanced');
    }));
});
