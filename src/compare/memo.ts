// Values kept while what they were computed from stays the same (compared with ===): the Compare
// view draws often (a scroll, a status line) while its runs and choices rarely change, and with
// hundreds of runs its tables, groups and LaTeX take milliseconds each to compute.

export class Memo {
  private kept = new Map<string, { inputs: readonly unknown[]; value: unknown }>();

  /** `compute()`'s value for `name`, computed again only when one of `inputs` changed. */
  get<T>(name: string, inputs: readonly unknown[], compute: () => T): T {
    const k = this.kept.get(name);
    if (k && k.inputs.length === inputs.length && k.inputs.every((x, i) => x === inputs[i])) return k.value as T;
    const value = compute();
    this.kept.set(name, { inputs, value });
    return value;
  }
}
