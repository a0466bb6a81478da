/**
 * The one place that knows which host the console runs in: Electron's preload puts the contract
 * on `window.boothApi` (and the host's file dialogs on `window.boothHost`); otherwise it is the preview host over
 * HTTP and an event stream, with the browser's file input and downloads.
 */
import type { BoothApi } from '../shared/contract/api.ts';
import type { HostFiles } from '../shared/contract/host.ts';
import { createPreviewBinding } from './preview-binding.ts';

declare global {
  interface Window {
    boothApi?: BoothApi;
    /** Electron's own open and save dialogs (the path stays in the main process). */
    boothHost?: HostFiles;
  }
}

export interface Binding {
  api: BoothApi;
  /** Picking a file (its handle names it in contract calls) and saving one the main process made. */
  files: HostFiles;
  host: 'electron' | 'preview';
  /** Told when the event stream came back after a break (events may have been missed). */
  onReconnect(listener: () => void): () => void;
}

/** An Electron window whose preload has no file capability: said in words, never an exception. */
const NO_HOST_FILES: HostFiles = {
  pickFile: () => Promise.reject(new Error('此版本的控制台不能选择文件')),
  saveFile: () => Promise.resolve({ saved: false, message: '此版本的控制台不能保存文件' }),
  saveExport: () => Promise.resolve({ saved: false, message: '此版本的控制台不能保存文件' }),
  openLogFolder: () => Promise.resolve({ saved: false, message: '此版本的控制台不能打开文件夹' }),
};

export const binding: Binding = window.boothApi
  ? {
      api: window.boothApi,
      files: window.boothHost ?? NO_HOST_FILES,
      host: 'electron',
      onReconnect: () => () => {},
    }
  : createPreviewBinding();

export const api = binding.api;
