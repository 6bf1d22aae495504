import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-run-list';
import { completedRecord } from '../helpers/run-fixtures';

describe('tl-run-list', () => {
  it('sorts by start time as instants, not as text with different UTC offsets', async () => {
    // The hour when clocks go back: 02:10+01:00 (01:10 UTC) comes after 02:30+02:00 (00:30 UTC).
    const before = { ...completedRecord(), run_id: 'mlp_before', run_name: 'before', start_time: '2026-10-25T02:30:00.000+02:00' };
    const after = { ...completedRecord(), run_id: 'mlp_after', run_name: 'after', start_time: '2026-10-25T02:10:00.000+01:00' };
    const list = document.createElement('tl-run-list');
    list.runs = [before, after];
    document.body.append(list);
    try {
      await list.updateComplete;
      const ids = [...list.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-run-id'));
      expect(ids).to.deep.equal(['mlp_after', 'mlp_before']); // newest first
    } finally {
      list.remove();
    }
  });
});
