import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-storage-panel';
import type { TlStoragePanel } from '../../src/components/tl-storage-panel';

async function mount(props: Partial<TlStoragePanel>): Promise<TlStoragePanel> {
  const el = document.createElement('tl-storage-panel');
  Object.assign(el, { labBytes: 2_000_000, runCount: 3, usage: 5_000_000, quota: 100_000_000, ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('tl-storage-panel', () => {
  afterEach(() => document.querySelectorAll('tl-storage-panel').forEach((e) => e.remove()));

  it('counts the datasets kept for reuse beside the runs, with a way to forget them', async () => {
    const el = await mount({ ownData: { count: 2, bytes: 3_500_000 } });
    const line = el.shadowRoot!.querySelector('[data-testid="storage-own"]')!;
    expect(line.textContent).to.match(/Your own data kept for reuse:\s*3\.5 MB\s*\(2 datasets\)/);
    let forgot = 0;
    el.addEventListener('own-data-forget-all', () => forgot++);
    (line.querySelector('button') as HTMLButtonElement).click();
    expect(forgot).to.equal(1);
  });

  it('says nothing of kept data when there is none', async () => {
    for (const ownData of [null, { count: 0, bytes: 0 }]) {
      const el = await mount({ ownData });
      expect(el.shadowRoot!.querySelector('[data-testid="storage-own"]')).to.equal(null);
      el.remove();
    }
  });
});
