/**
 * The one place that knows which host the console runs in: Electron's preload puts the contract
 * on `window.boothApi`; otherwise it is the preview host over HTTP and an event stream.
 */
import type { BoothApi } from '../shared/contract/api.ts';
import { createPreviewBinding } from './preview-binding.ts';

declare global {
  interface Window {
    boothApi?: BoothApi;
  }
}

export interface Binding {
  api: BoothApi;
  host: 'electron' | 'preview';
  /** Told when the event stream came back after a break (events may have been missed). */
  onReconnect(listener: () => void): () => void;
}

export const binding: Binding = window.boothApi
  ? { api: window.boothApi, host: 'electron', onReconnect: () => () => {} }
  : createPreviewBinding();

export const api = binding.api;
