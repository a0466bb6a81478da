/**
 * The console's preload (sandboxed, context-isolated): the contract as NAMED functions on `window.boothApi`, one per
 * method, written out as Actual Budget's preload does, in an object literal that `satisfies BoothApi`: a method
 * missing here, or misspelt, fails to compile. Plus `onEvent`, and the host's file functions on `window.boothHost`
 * (`satisfies HostFiles`). No raw channel, no ipcRenderer, nothing else reaches the page.
 *
 * A sandboxed preload cannot load modules: this file is bundled into one CommonJS script (npm run build:host). It
 * imports only types and the small constant modules methods.ts and host.ts (no zod, nothing of the main process).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { ApiResult, BoothApi, ConsoleEvent, InputOf, MethodName, OutputOf } from '../../shared/contract/api.ts';
import {
  type ExportFile,
  HOST_OPEN_LOG_FOLDER_CHANNEL,
  HOST_PICK_CHANNEL,
  HOST_SAVE_CHANNEL,
  HOST_SAVE_EXPORT_CHANNEL,
  type HostFiles,
  type PickedFile,
  type PickOptions,
  type SaveResult,
} from '../../shared/contract/host.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../../shared/contract/methods.ts';

const decoder = new TextDecoder();
/** Replies and events come as the UTF-8 JSON the backend made (electron/host/ipc.ts): parsed here, in the page. */
const parse = <T>(json: Uint8Array): T => JSON.parse(decoder.decode(json)) as T;

async function call<M extends MethodName>(method: M, input: InputOf<M> | undefined): Promise<ApiResult<OutputOf<M>>> {
  return parse<ApiResult<OutputOf<M>>>((await ipcRenderer.invoke(`${IPC_PREFIX}${method}`, input)) as Uint8Array);
}

const boothApi = {
  getSession: (input) => call('getSession', input),
  startShift: (input) => call('startShift', input),
  endShift: (input) => call('endShift', input),
  unlockManager: (input) => call('unlockManager', input),
  lockManager: (input) => call('lockManager', input),
  setupPin: (input) => call('setupPin', input),
  completeSetup: (input) => call('completeSetup', input),
  getStatus: (input) => call('getStatus', input),
  getSettings: (input) => call('getSettings', input),
  updateSettings: (input) => call('updateSettings', input),
  clearSecret: (input) => call('clearSecret', input),
  submitRelease: (input) => call('submitRelease', input),
  recentSerials: (input) => call('recentSerials', input),
  queryLog: (input) => call('queryLog', input),
  exportLogCsv: (input) => call('exportLogCsv', input),
  listRecords: (input) => call('listRecords', input),
  getRecord: (input) => call('getRecord', input),
  resubmitRecord: (input) => call('resubmitRecord', input),
  retryNow: (input) => call('retryNow', input),
  cancelRecord: (input) => call('cancelRecord', input),
  pauseQueue: (input) => call('pauseQueue', input),
  resumeQueue: (input) => call('resumeQueue', input),
  listAudit: (input) => call('listAudit', input),
  submitRenewal: (input) => call('submitRenewal', input),
  renewalDefaults: (input) => call('renewalDefaults', input),
  checkVipImport: (input) => call('checkVipImport', input),
  commitVipImport: (input) => call('commitVipImport', input),
  vipImportBadRows: (input) => call('vipImportBadRows', input),
  vipTemplate: (input) => call('vipTemplate', input),
  submitExit: (input) => call('submitExit', input),
  exitWarnings: (input) => call('exitWarnings', input),
  imagePreview: (input) => call('imagePreview', input),
  imagesFolder: (input) => call('imagesFolder', input),
  hostNotices: (input) => call('hostNotices', input),
  exportSupportLogs: (input) => call('exportSupportLogs', input),
  onEvent(listener: (event: ConsoleEvent) => void) {
    const forward = (_e: IpcRendererEvent, json: Uint8Array) => listener(parse<ConsoleEvent>(json));
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
} satisfies BoothApi;

contextBridge.exposeInMainWorld('boothApi', boothApi);

/** The host's replies are ApiResults: the page's HostFiles functions resolve with the value or throw its message. */
async function unwrap<T>(reply: Promise<ApiResult<T>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The host's file capability: Windows' open and save dialogs and Explorer, run by the main process (files.ts). */
const boothHost = {
  pickFile: (options: PickOptions) => unwrap<PickedFile | null>(ipcRenderer.invoke(HOST_PICK_CHANNEL, options)),
  saveFile: (file: { filename: string; mime: string; base64: string }) =>
    unwrap<SaveResult>(ipcRenderer.invoke(HOST_SAVE_CHANNEL, file)),
  saveExport: (file: ExportFile) => unwrap<SaveResult>(ipcRenderer.invoke(HOST_SAVE_EXPORT_CHANNEL, file)),
  openLogFolder: () => unwrap<SaveResult>(ipcRenderer.invoke(HOST_OPEN_LOG_FOLDER_CHANNEL)),
} satisfies HostFiles;

contextBridge.exposeInMainWorld('boothHost', boothHost);
