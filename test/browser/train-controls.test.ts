// The run's buttons and status at its end: nothing offers the stored run until its final record is stored.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-train-controls';
import type { TlTrainControls } from '../../src/components/tl-train-controls';

async function mount(props: Partial<TlTrainControls>): Promise<TlTrainControls> {
  const el = document.createElement('tl-train-controls');
  Object.assign(el, { canTrain: true, phase: 'completed', runId: 'mlp_20261201_101010', ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const buttons = (el: TlTrainControls) => [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
const status = (el: TlTrainControls) => el.shadowRoot!.querySelector('[aria-label="Training status"]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('tl-train-controls', () => {
  afterEach(() => document.querySelectorAll('tl-train-controls').forEach((e) => e.remove()));

  it('says the run is being saved, and offers no download of it, until its final record is stored', async () => {
    const el = await mount({ saving: true });
    expect(status(el)).to.equal('Training completed. Saving the run in this browser…');
    expect(buttons(el)).to.not.include('Download run.zip');
    expect(buttons(el)).to.not.include('Export as PyTorch');
    el.saving = false;
    await el.updateComplete;
    expect(status(el)).to.equal('Training completed.');
    expect(buttons(el)).to.include.members(['Download run.zip', 'Export as PyTorch']);
  });

  it('offers Retry saving whenever a write waits for it, a diverged run too', async () => {
    const el = await mount({ phase: 'diverged', message: 'diverged at epoch 3', storageProblem: 'storage is full', retryable: true });
    expect(buttons(el)).to.include('Retry saving');
    el.retryable = false;
    await el.updateComplete;
    expect(buttons(el)).to.not.include('Retry saving');
  });

  it('a diverged run being saved says both', async () => {
    const el = await mount({ phase: 'diverged', message: 'diverged at epoch 3', saving: true });
    expect(status(el)).to.equal('Training stopped: diverged at epoch 3 — saving the run in this browser…');
  });
});
