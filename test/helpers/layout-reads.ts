// Counts the reads of layout (element sizes and boxes) a piece of code makes: a read while the page's
// layout is dirty forces a layout of the whole page, a long task on a big one.

const SIZE_GETTERS: [object, string][] = [
  [Element.prototype, 'clientWidth'],
  [Element.prototype, 'clientHeight'],
  [HTMLElement.prototype, 'offsetWidth'],
  [HTMLElement.prototype, 'offsetHeight'],
];

/** The number of layout reads made while `act` runs (and until it resolves). */
export async function layoutReads(act: () => void | Promise<void>): Promise<number> {
  let reads = 0;
  const restore = SIZE_GETTERS.map(([owner, name]) => {
    const original = Object.getOwnPropertyDescriptor(owner, name)!;
    Object.defineProperty(owner, name, { ...original, get() { reads++; return original.get!.call(this); } });
    return () => Object.defineProperty(owner, name, original);
  });
  const rect = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function () {
    reads++;
    return rect.call(this);
  };
  try {
    await act();
  } finally {
    restore.forEach((r) => r());
    Element.prototype.getBoundingClientRect = rect;
  }
  return reads;
}
