/**
 * The console's preload (sandboxed, context-isolated): the contract as NAMED functions on
 * `window.boothApi`, generated from the method list, plus `onEvent`, and the host's two file
 * functions on `window.boothHost` (pickFile, saveFile). No raw channel, no
 * ipcRenderer, nothing else reaches the page. Sandboxed preloads cannot load modules: this file
 * is bundled into one CommonJS script (npm run build:host).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConsoleEvent } from '../../shared/contract/api.ts';
import { HOST_PICK_CHANNEL, HOST_SAVE_CHANNEL } from '../../shared/contract/host.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHOD_NAMES } from '../../shared/contract/methods.ts';

const boothApi: Record<string, unknown> = {};
for (const name of METHOD_NAMES) {
  boothApi[name] = (input?: unknown) => ipcRenderer.invoke(`${IPC_PREFIX}${name}`, input);
}
boothApi.onEvent = (listener: (event: ConsoleEvent) => void) => {
  const forward = (_e: IpcRendererEvent, event: ConsoleEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  };
};

contextBridge.exposeInMainWorld('boothApi', boothApi);

/** The host's file capability: Windows' open and save dialogs, run by the main process (electron/host/files.ts). */
async function unwrap<T>(reply: Promise<unknown>): Promise<T> {
  const r = (await reply) as { ok: boolean; value?: T; error?: { message: string } };
  if (!r.ok) throw new Error(r.error?.message ?? '操作失败');
  return r.value as T;
}
contextBridge.exposeInMainWorld('boothHost', {
  pickFile: (options: unknown) => unwrap(ipcRenderer.invoke(HOST_PICK_CHANNEL, options)),
  saveFile: (file: unknown) => unwrap(ipcRenderer.invoke(HOST_SAVE_CHANNEL, file)),
});
