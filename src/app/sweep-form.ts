// A sweep as the Lab's form and address hold it: per swept key the text the person typed
// (`0.001|0.01`, `16,16|32,32`, `1e-4..1e-1:log`), the mode (grid or random draws), the repeats
// over seeds 1..k, the number of draws and their seed. Only the address syntax is checked here;
// what the values mean is checked in sweep-definition.ts, which shows each problem beside its field.
// No imports of the Lab's state: url-state.ts imports this module.
import type { Codec } from '../url-codecs';

export const SWEEP_MODES = ['grid', 'random'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** One swept key and its text: values separated by `|`, or a range `min..max[:log][:int]`. */
export interface SweepFormParam {
  key: string;
  text: string;
}

export interface SweepForm {
  params: SweepFormParam[];
  mode: SweepMode;
  repeats: number; // each configuration runs with seeds 1..repeats
  draws: number; // random mode: how many configurations are drawn
  drawSeed: number; // random mode: the seed of the draws
}

export const DEFAULT_SWEEP_FORM: Readonly<SweepForm> = Object.freeze({ params: [], mode: 'grid', repeats: 1, draws: 10, drawSeed: 1 });

export const defaultSweepForm = (): SweepForm => ({ ...DEFAULT_SWEEP_FORM, params: [] });

/** Whether `form` sweeps anything. */
export const hasSweep = (form: SweepForm | undefined): form is SweepForm => !!form && form.params.length > 0;

/** The address form of the swept keys: `lr:0.001|0.01;hidden:16,16|32,32` (`|` between values: a value may hold commas). */
export const sweepParamsCodec: Codec<SweepFormParam[]> = {
  parse(raw) {
    const params: SweepFormParam[] = [];
    for (const part of raw.split(';')) {
      if (part.trim() === '') continue;
      const colon = part.indexOf(':');
      const key = colon < 0 ? '' : part.slice(0, colon).trim();
      if (!/^[a-z][a-z0-9.]*$/i.test(key)) return { error: `expected key:values separated by ";" (e.g. lr:0.001|0.01;batch:16|32), got "${part}"` };
      params.push({ key, text: part.slice(colon + 1) });
    }
    return { value: params };
  },
  format: (params) => params.map((p) => `${p.key}:${p.text}`).join(';'),
};

/** Characters the address keeps as they are in the sweep's value (commas too): it stays readable. */
export const SWEEP_ADDRESS_SAFE = /%(2C|7C|3A|3B)/gi;
