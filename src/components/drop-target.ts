import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SourceFile } from '../compare/import-sources';
import { filesFromDrop } from './dropped-files';

/**
 * A drop zone of a component: `over` while something is dragged over it (the host renders again),
 * and the files and folders dropped on it, folders walked (dropped-files.ts), handed to `onFiles`.
 * Usage: html`<p class=${t.over ? 'over' : ''} @dragover=${t.dragOver} @dragleave=${t.dragLeave} @drop=${t.drop}>`.
 */
export class DropTarget implements ReactiveController {
  over = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onFiles: (files: SourceFile[]) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  readonly dragOver = (e: DragEvent): void => {
    e.preventDefault(); // without it the browser opens the file instead of dropping it here
    this.setOver(true);
  };

  readonly dragLeave = (): void => this.setOver(false);

  readonly drop = async (e: DragEvent): Promise<void> => {
    e.preventDefault();
    this.setOver(false);
    if (!e.dataTransfer) return;
    const files = await filesFromDrop(e.dataTransfer);
    if (files.length) this.onFiles(files);
  };

  private setOver(over: boolean) {
    if (over === this.over) return;
    this.over = over;
    this.host.requestUpdate();
  }
}
