import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DEFAULT_SCHEDULES } from '../training/schedules';
import { BACKENDS, CLASS_WEIGHTINGS, MONITORS, OPTIMIZERS, type BackendChoice, type LrSchedule, type TrainConfig } from '../training/types';
import { checkboxField, numberField, selectField } from './fields';
import { panelStyles } from './shared-styles';

/** Epochs, batch size, optimizer, learning rate and its schedule, weight decay, class weights, early stopping, seed, backend. */
@customElement('tl-hyperparams-panel')
export class TlHyperparamsPanel extends LitElement {
  static styles = panelStyles;

  @property({ attribute: false }) config!: TrainConfig;
  @property({ attribute: false }) errors: Record<string, string> = {};

  render() {
    const c = this.config;
    const set = (patch: Partial<TrainConfig>) => this.raise({ ...c, ...patch });
    const e = this.errors;
    return html`<section class="card" aria-label="Hyperparameters">
      <h2>Training</h2>
      <div class="fields">
        ${numberField({ label: 'Epochs', name: 'epochs', value: c.epochs, step: '1', error: e.epochs, onValue: (epochs) => set({ epochs }) })}
        ${numberField({ label: 'Batch size', name: 'batch', value: c.batchSize, step: '1', error: e.batchSize, onValue: (batchSize) => set({ batchSize }) })}
        ${selectField({ label: 'Optimizer', name: 'optimizer', value: c.optimizer, options: OPTIMIZERS, onValue: (optimizer) => set({ optimizer }) })}
        ${numberField({ label: 'Learning rate', name: 'lr', value: c.learningRate, error: e.learningRate, onValue: (learningRate) => set({ learningRate }) })}
        ${numberField({ label: 'Weight decay (L2)', name: 'wd', value: c.weightDecay, error: e.weightDecay, onValue: (weightDecay) => set({ weightDecay }) })}
        ${selectField({ label: 'Class weights', name: 'cw', value: c.classWeights, options: CLASS_WEIGHTINGS, error: e.classWeights, onValue: (classWeights) => set({ classWeights }) })}
        ${numberField({ label: 'Seed', name: 'seed', value: c.seed, step: '1', error: e.seed, onValue: (seed) => set({ seed }) })}
        ${selectField<BackendChoice>({ label: 'Backend', name: 'backend', value: c.backend, options: ['auto', ...BACKENDS], onValue: (backend) => set({ backend }) })}
      </div>
      <h3>Learning-rate schedule</h3>
      <div class="fields">
        ${selectField({
          label: 'Schedule',
          name: 'sched',
          value: c.schedule.kind,
          options: [
            { value: 'constant', label: 'constant' },
            { value: 'step', label: 'step decay' },
            { value: 'cosine', label: 'cosine' },
            { value: 'plateau', label: 'reduce on plateau' },
          ],
          onValue: (kind) => set({ schedule: structuredClone(DEFAULT_SCHEDULES[kind]) }),
        })}
        ${this.renderSchedule(c.schedule, (schedule) => set({ schedule }))}
      </div>
      <h3>Early stopping</h3>
      <div class="fields">
        ${checkboxField({ label: 'Stop early', name: 'es', value: c.earlyStopping.enabled, onValue: (enabled) => set({ earlyStopping: { ...c.earlyStopping, enabled } }) })}
        ${c.earlyStopping.enabled
          ? html`${numberField({ label: 'Patience (epochs)', name: 'patience', value: c.earlyStopping.patience, step: '1', error: e['earlyStopping.patience'], onValue: (patience) => set({ earlyStopping: { ...c.earlyStopping, patience } }) })}
            ${selectField({ label: 'Monitored metric', name: 'monitor', value: c.earlyStopping.monitor, options: MONITORS, onValue: (monitor) => set({ earlyStopping: { ...c.earlyStopping, monitor } }) })}`
          : nothing}
      </div>
    </section>`;
  }

  private renderSchedule(s: LrSchedule, update: (s: LrSchedule) => void) {
    const e = this.errors;
    switch (s.kind) {
      case 'constant':
        return nothing;
      case 'step':
        return html`${numberField({ label: 'Step (epochs)', name: 'step', value: s.stepSize, step: '1', error: e['schedule.stepSize'], onValue: (stepSize) => update({ ...s, stepSize }) })}
          ${numberField({ label: 'Gamma', name: 'gamma', value: s.gamma, error: e['schedule.gamma'], onValue: (gamma) => update({ ...s, gamma }) })}`;
      case 'cosine':
        return numberField({ label: 'Minimum rate', name: 'minlr', value: s.minLr, error: e['schedule.minLr'], onValue: (minLr) => update({ ...s, minLr }) });
      case 'plateau':
        return html`${numberField({ label: 'Factor', name: 'factor', value: s.factor, error: e['schedule.factor'], onValue: (factor) => update({ ...s, factor }) })}
          ${numberField({ label: 'Patience (epochs)', name: 'lrpatience', value: s.patience, step: '1', error: e['schedule.patience'], onValue: (patience) => update({ ...s, patience }) })}
          ${numberField({ label: 'Minimum rate', name: 'minlr', value: s.minLr, error: e['schedule.minLr'], onValue: (minLr) => update({ ...s, minLr }) })}`;
    }
  }

  private raise(config: TrainConfig) {
    this.dispatchEvent(new CustomEvent<TrainConfig>('config-change', { detail: config, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-hyperparams-panel': TlHyperparamsPanel;
  }
  interface HTMLElementEventMap {
    'config-change': CustomEvent<TrainConfig>;
  }
}
