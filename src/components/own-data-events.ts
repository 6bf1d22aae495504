// The Lab's wiring of the own-data panel: its events (raised by the panel's parts, bubbling up to the
// Lab) to the own-data controller, and the controller's state as the panel's view.
import type { OwnData } from '../app/own-data';
import type { ImageLoadOptions } from '../training/datasets/images/image-limits';
import type { OwnDataView } from './tl-own-data-panel';

export function listenOwnData(host: HTMLElement, own: OwnData, onImageOptions: (o: ImageLoadOptions) => void): void {
  host.addEventListener('own-data-files', (e) => own.openFiles(e.detail.files, e.detail.paths, e.detail.folder));
  host.addEventListener('own-data-text', (e) => own.openText(e.detail.text));
  host.addEventListener('own-data-cancel', () => own.cancel());
  host.addEventListener('own-data-reuse', () => void own.reuse());
  host.addEventListener('own-data-forget', () => void own.forget());
  host.addEventListener('own-data-forget-current', () => void own.forgetCurrent());
  host.addEventListener('table-read-options', (e) => own.setReadOptions(e.detail));
  host.addEventListener('table-choice', (e) => own.setChoice(e.detail));
  host.addEventListener('own-data-load-anyway', () => own.loadAnyway());
  host.addEventListener('own-image-options', (e) => onImageOptions(e.detail));
}

/** A new view object each time, so the panel re-renders when the controller changed. */
export function ownDataView(o: OwnData, imageOptions: ImageLoadOptions): OwnDataView {
  return {
    busy: o.busy, error: o.error, notes: o.notes, table: o.table, images: o.images, offer: o.offer, current: o.current, wanted: o.wanted,
    dataset: o.prepared?.dataset ?? null, imageOptions,
  };
}
