import { html, nothing, type TemplateResult } from 'lit';

/** Parses a number input's text; empty or malformed text becomes NaN so validation can name it. */
export function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

export function parseList(text: string): number[] {
  return text.split(',').map((p) => parseNumber(p));
}

interface FieldOptions {
  label: string;
  name: string;
  error?: string;
}

function errorText(name: string, error?: string) {
  return error ? html`<span class="error" id="${name}-error" role="alert">${error}</span>` : nothing;
}

export function numberField(o: FieldOptions & { value: number; step?: string; onValue: (v: number) => void }): TemplateResult {
  return html`<label>
    ${o.label}
    <input
      type="number"
      name=${o.name}
      step=${o.step ?? 'any'}
      .value=${Number.isFinite(o.value) ? String(o.value) : ''}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${o.error ? `${o.name}-error` : nothing}
      @change=${(e: Event) => o.onValue(parseNumber((e.target as HTMLInputElement).value))}
    />
    ${errorText(o.name, o.error)}
  </label>`;
}

export function listField(o: FieldOptions & { value: number[]; onValue: (v: number[]) => void }): TemplateResult {
  return html`<label>
    ${o.label}
    <input
      type="text"
      name=${o.name}
      .value=${o.value.map((v) => (Number.isFinite(v) ? String(v) : '?')).join(',')}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${o.error ? `${o.name}-error` : nothing}
      @change=${(e: Event) => o.onValue(parseList((e.target as HTMLInputElement).value))}
    />
    ${errorText(o.name, o.error)}
  </label>`;
}

export function selectField<T extends string>(
  o: FieldOptions & { value: T; options: readonly (T | { value: T; label: string })[]; onValue: (v: T) => void },
): TemplateResult {
  return html`<label>
    ${o.label}
    <select name=${o.name} @change=${(e: Event) => o.onValue((e.target as HTMLSelectElement).value as T)}>
      ${o.options.map((opt) => {
        const { value, label } = typeof opt === 'string' ? { value: opt, label: opt } : opt;
        return html`<option value=${value} ?selected=${value === o.value}>${label}</option>`;
      })}
    </select>
    ${errorText(o.name, o.error)}
  </label>`;
}

export function checkboxField(o: FieldOptions & { value: boolean; onValue: (v: boolean) => void }): TemplateResult {
  return html`<label class="checkbox">
    <input type="checkbox" name=${o.name} .checked=${o.value} @change=${(e: Event) => o.onValue((e.target as HTMLInputElement).checked)} />
    ${o.label}
  </label>`;
}
