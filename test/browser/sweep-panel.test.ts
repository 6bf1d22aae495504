// The sweep panel rendering views made by the real planner (formPlan + sweepView), and the events it raises.
import { expect } from '@esm-bundle/chai';
import { planSweep } from '../../src/app/sweep-definition';
import { defaultSweepForm, type SweepForm } from '../../src/app/sweep-form';
import { formPlan, sweepView, type LiveRun, type SweepState } from '../../src/app/sweep-view';
import '../../src/components/tl-sweep-panel';
import type { SweepPanelView, TlSweepPanel } from '../../src/components/tl-sweep-panel';
import type { SweepRecord } from '../../src/recorder/sweep-record';
import { parseLabState, type LabState } from '../../src/url-state';
import { baseRecord } from '../fixtures/export-records';

const IDLE: SweepState = { driving: false, ending: false, record: null, interrupted: null, epochs: [], timings: [], earlier: [], message: '', storeProblem: '' };
const NOT_RUNNING: LiveRun = { running: false, samplesPerSec: null, etaSeconds: null };
const lab = (query: string): LabState => parseLabState(query).state;
const BASE = '?dataset=moons&samples=200&hidden=4&epochs=2';

function viewOf(query: string, state: Partial<SweepState> = {}, live: LiveRun = NOT_RUNNING): SweepPanelView {
  return sweepView(formPlan(lab(query)), { ...IDLE, ...state }, live, 140, '');
}

async function withPanel(view: SweepPanelView, fn: (panel: TlSweepPanel, root: ShadowRoot) => Promise<void> | void): Promise<void> {
  const panel = document.createElement('tl-sweep-panel');
  panel.view = view;
  document.body.append(panel);
  try {
    await panel.updateComplete;
    await fn(panel, panel.shadowRoot!);
  } finally {
    panel.remove();
  }
}

const text = (root: ShadowRoot) => root.textContent!.replace(/\s+/g, ' ');
const button = (root: ShadowRoot, name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name);

function sweepOf(query: string, status: SweepRecord['status'], done: number): SweepRecord {
  const { plan } = planSweep(lab(query).sweep!, lab(query));
  return {
    schema_version: 1, sweep_id: 'sweep_20261201_100000', name: 'lr × batch, grid, 2 seeds', created_at: '2026-12-01T10:00:00.000+01:00', updated_at: '2026-12-01T10:00:00.000+01:00',
    status, status_reason: '', definition: plan!.definition, swept_keys: ['lr', 'batch'],
    runs: plan!.runs.map((r, i) => ({ ...r, status: i < done ? 'done' : i === done && status === 'running' ? 'running' : 'pending', run_id: i <= done ? `mlp_${i}` : null })),
  };
}

describe('tl-sweep-panel', () => {
  it('is closed while nothing is swept, with a Sweep button that opens it', () =>
    withPanel(viewOf(BASE), async (panel, root) => {
      const toggle = button(root, 'Sweep')!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(button(root, 'Start sweep')).to.equal(undefined);
      toggle.click();
      await panel.updateComplete;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(button(root, 'Start sweep')!.disabled).to.equal(true);
      expect(text(root)).to.include('Add a parameter to sweep.');
    }));

  it('shows the count of runs and the estimate from an earlier run; Start sweep raises sweep-start', () => {
    const history = Array.from({ length: 2 }, (_, i) => ({ epoch: i + 1, train_loss: 1, train_acc: 50, val_loss: 1, val_acc: 50, learning_rate: 0.01, epoch_time_seconds: 0.5, samples_per_second: 280 }));
    const earlier = baseRecord({ runId: 'mlp_20261130_120000', classNames: ['a', 'b'], datasetName: 'Moons', inputShape: [2], hidden: [4], epochs: 2, history, split: [140, 30, 30], status: 'completed', statusReason: '' });
    earlier.environment = { ...earlier.environment, backend: 'wasm' };
    earlier.training_duration_seconds = 3; // 1 s of epochs, 2 s besides
    const view = viewOf(`${BASE}&sweep=lr:0.01|0.1;batch:16|32&repeats=2`, { earlier: [earlier] });
    return withPanel(view, async (panel, root) => {
      expect(button(root, 'Sweep')!.getAttribute('aria-expanded')).to.equal('true', 'open for a sweep in the address');
      // 8 runs × (2 s + 2 epochs × 140 samples at 280 samples/s) = 8 × 3 s.
      expect(root.querySelector('[aria-label="Sweep plan"]')!.textContent!.replace(/\s+/g, ' ')).to.equal(
        '8 runs (4 configurations × 2 seeds) · about 24 s (from mlp_20261130_120000: 280 samples/s on wasm)',
      );
      let started = 0;
      panel.addEventListener('sweep-start', () => started++);
      button(root, 'Start sweep')!.click();
      expect(started).to.equal(1);
    });
  });

  it('names bad input beside its field and keeps Start sweep disabled', () =>
    withPanel(viewOf(`${BASE}&sweep=lr:0.1|abc;batch:16|32`), (_panel, root) => {
      const input = root.querySelector<HTMLInputElement>('input[name="sweep-values-0"]')!;
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(root.getElementById(input.getAttribute('aria-describedby')!)!.textContent).to.equal('lr=abc: not a number');
      expect(root.querySelector<HTMLInputElement>('input[name="sweep-values-1"]')!.getAttribute('aria-invalid')).to.equal('false');
      expect(button(root, 'Start sweep')!.disabled).to.equal(true);
      expect(text(root)).to.include('Fix the highlighted sweep settings.');
    }));

  it('names the limit when a sweep has too many runs', () =>
    withPanel(viewOf(`${BASE}&sweep=lr:0.1|0.2|0.3|0.4|0.5;batch:8|16|32|64|128&repeats=9`), (_panel, root) => {
      expect(root.querySelector('[role="alert"]')!.textContent).to.equal('225 runs: more than the limit of 200 runs per sweep');
      expect(button(root, 'Start sweep')!.disabled).to.equal(true);
    }));

  it('raises the changed form: typed values, an added parameter (with the Lab value), a removed one, the mode', () =>
    withPanel(viewOf(`${BASE}&sweep=lr:0.1|0.2`), (panel, root) => {
      const forms: SweepForm[] = [];
      panel.addEventListener('sweep-change', (e) => forms.push((e as CustomEvent<SweepForm>).detail));
      const input = root.querySelector<HTMLInputElement>('input[name="sweep-values-0"]')!;
      input.value = '0.1|0.2|0.3';
      input.dispatchEvent(new Event('input'));
      button(root, 'Add parameter')!.click();
      button(root, 'Remove lr')!.click();
      const mode = root.querySelector<HTMLSelectElement>('select[name="sweepmode"]')!;
      mode.value = 'random';
      mode.dispatchEvent(new Event('change'));
      const key = (f: SweepForm) => f.params.map((p) => `${p.key}:${p.text}`).join(';');
      expect(forms.map(key)).to.deep.equal(['lr:0.1|0.2|0.3', 'lr:0.1|0.2;model:mlp', '', 'lr:0.1|0.2']);
      expect(forms[3].mode).to.equal('random');
      expect(forms[0]).to.deep.include({ mode: 'grid', repeats: 1 });
    }));

  it('while a sweep runs: run k of n, time left, End sweep; no button but Stop is named "Stop"', () => {
    const record = sweepOf(`${BASE}&sweep=lr:0.01|0.1;batch:16|32&repeats=2`, 'running', 2);
    const state = { driving: true, record, epochs: Array(8).fill(2), timings: [{ samples: 280, trainSeconds: 1, wallSeconds: 3 }] };
    const view = viewOf(`${BASE}&sweep=lr:0.01|0.1;batch:16|32&repeats=2`, state, { running: true, samplesPerSec: 280, etaSeconds: 1.5 });
    return withPanel(view, async (panel, root) => {
      // The current run's own ETA (1.5 s) + 5 runs not started × 3 s = 16.5 s.
      expect(root.querySelector('[aria-label="Sweep progress"]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Run 3 of 8 · 2 done · about 17 s left');
      expect(button(root, 'Start sweep')!.disabled).to.equal(true, 'no second sweep while one runs');
      expect(text(root)).to.include('A sweep is running: End sweep first.');
      expect([...root.querySelectorAll('button')].filter((b) => /stop/i.test(b.textContent!))).to.have.length(0);
      let ended = 0;
      panel.addEventListener('sweep-end', () => ended++);
      button(root, 'End sweep')!.click();
      expect(ended).to.equal(1);
      const asked: string[] = [];
      panel.addEventListener('compare-sweep', (e) => asked.push((e as CustomEvent<{ sweepId: string }>).detail.sweepId));
      button(root, 'Compare this sweep')!.click();
      expect(asked).to.deep.equal([record.sweep_id]);
    });
  });

  it('offers an interrupted sweep: Resume sweep or End sweep', () => {
    const interrupted = sweepOf(`${BASE}&sweep=lr:0.01|0.1;batch:16|32&repeats=2`, 'interrupted', 3);
    return withPanel(viewOf(BASE, { interrupted }), async (panel, root) => {
      expect(root.querySelector('[aria-label="Interrupted sweep"]')!.textContent!.replace(/\s+/g, ' ')).to.equal(
        `Sweep lr × batch, grid, 2 seeds (${interrupted.sweep_id}) was interrupted after 3 of 8 runs.`,
      );
      const events: string[] = [];
      panel.addEventListener('sweep-resume', () => events.push('resume'));
      panel.addEventListener('sweep-end', () => events.push('end'));
      button(root, 'Resume sweep')!.click();
      button(root, 'End sweep')!.click();
      expect(events).to.deep.equal(['resume', 'end']);
    });
  });

  it('the form is blank by default', () => expect(viewOf(BASE).form).to.deep.equal(defaultSweepForm()));
});
