import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ACTIVATIONS, type CnnSpec, type LayerInfo, type MlpSpec, type ModelKind } from '../training/types';
import { listField, numberField, selectField } from './fields';
import { shapeText } from './format';
import { panelStyles } from './shared-styles';

export interface ModelChange {
  kind?: ModelKind;
  mlp?: MlpSpec;
  cnn?: CnnSpec;
}

/** Model preset and its settings, with the layer table and parameter count before training. */
@customElement('tl-model-panel')
export class TlModelPanel extends LitElement {
  static styles = panelStyles;

  @property() kind: ModelKind = 'mlp';
  @property({ attribute: false }) mlp!: MlpSpec;
  @property({ attribute: false }) cnn!: CnnSpec;
  @property({ attribute: false }) errors: Record<string, string> = {};
  @property({ attribute: false }) layers: LayerInfo[] = [];
  @property({ type: Number }) totalParams = 0;
  @property() problem = '';

  render() {
    return html`<section class="card" aria-label="Model">
      <h2>Model</h2>
      <div class="fields">
        ${selectField({
          label: 'Model',
          name: 'model',
          value: this.kind,
          options: [
            { value: 'mlp', label: 'MLP (dense layers)' },
            { value: 'cnn', label: 'CNN (conv/pool blocks)' },
          ],
          onValue: (kind) => this.raise({ kind }),
        })}
        ${this.kind === 'mlp' ? this.renderMlp(this.mlp) : this.renderCnn(this.cnn)}
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : this.renderLayers()}
    </section>`;
  }

  private renderMlp(m: MlpSpec) {
    return html`${listField({ label: 'Hidden units (comma-separated)', name: 'hidden', value: m.hidden, error: this.errors.hidden, onValue: (hidden) => this.raise({ mlp: { ...m, hidden } }) })}
      ${selectField({ label: 'Activation', name: 'activation', value: m.activation, options: ACTIVATIONS, onValue: (activation) => this.raise({ mlp: { ...m, activation } }) })}
      ${numberField({ label: 'Dropout', name: 'dropout', value: m.dropout, step: '0.05', error: this.errors.dropout, onValue: (dropout) => this.raise({ mlp: { ...m, dropout } }) })}`;
  }

  private renderCnn(c: CnnSpec) {
    return html`${listField({ label: 'Filters per conv block', name: 'filters', value: c.filters, error: this.errors.filters, onValue: (filters) => this.raise({ cnn: { ...c, filters } }) })}
      ${selectField({ label: 'Kernel size', name: 'kernel', value: String(c.kernelSize) as '3' | '5', options: ['3', '5'], onValue: (k) => this.raise({ cnn: { ...c, kernelSize: Number(k) } }) })}
      ${numberField({ label: 'Dense units (0 = none)', name: 'dense', value: c.dense, step: '1', error: this.errors.dense, onValue: (dense) => this.raise({ cnn: { ...c, dense } }) })}
      ${selectField({ label: 'Activation', name: 'activation', value: c.activation, options: ACTIVATIONS, onValue: (activation) => this.raise({ cnn: { ...c, activation } }) })}
      ${numberField({ label: 'Dropout', name: 'dropout', value: c.dropout, step: '0.05', error: this.errors.dropout, onValue: (dropout) => this.raise({ cnn: { ...c, dropout } }) })}`;
  }

  private renderLayers() {
    if (!this.layers.length) return nothing;
    return html`<h3>Architecture</h3>
      <table aria-label="Layers">
        <thead><tr><th>layer</th><th>type</th><th>output shape</th><th>parameters</th></tr></thead>
        <tbody>
          ${this.layers.map((l) => html`<tr><td>${l.name}</td><td>${l.type}</td><td>${shapeText(l.outputShape)}</td><td>${l.params.toLocaleString('en-US')}</td></tr>`)}
        </tbody>
        <tfoot><tr><td colspan="3">Total parameters</td><td data-testid="total-params">${this.totalParams.toLocaleString('en-US')}</td></tr></tfoot>
      </table>`;
  }

  private raise(detail: ModelChange) {
    this.dispatchEvent(new CustomEvent<ModelChange>('model-change', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-model-panel': TlModelPanel;
  }
  interface HTMLElementEventMap {
    'model-change': CustomEvent<ModelChange>;
  }
}
