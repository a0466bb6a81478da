/**
 * The contract over Electron IPC: one `ipcMain.handle` per contract method, each answered by the backend (its
 * worker thread validates the input and runs the handler), and every backend event forwarded to the window. Calls
 * from any frame that is not the console's own page (app://console/) are refused before they reach the backend.
 * Replies and events cross as the UTF-8 JSON the backend thread made (the preload decodes and parses them in the
 * page's process): a 20,000-row import preview or a renewal batch's record costs this thread a buffer passed on, never
 * a parse or an encoding.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiResult } from '../../shared/contract/api.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHOD_NAMES } from '../../shared/contract/methods.ts';
import type { Backend } from '../backend/types.ts';

/** What the IPC needs of the backend. */
export type ContractSource = Pick<Backend, 'callJson' | 'subscribeJson'>;

export interface IpcWiring {
  /** Forward events to this window's page (null: none open). */
  setTarget(contents: WebContents | null): void;
  dispose(): void;
}

export const REFUSED_SENDER: ApiResult<never> = {
  ok: false,
  error: { code: 'unauthorized', message: '拒绝来自其他页面的请求' },
};
const REFUSED_SENDER_JSON = new TextEncoder().encode(JSON.stringify(REFUSED_SENDER));

/** The URL of the frame that sent an IPC message ('' when it is gone). */
export function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string {
  return event.senderFrame?.url ?? '';
}

export function wireContract(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: ContractSource,
  isOwnPage: (url: string) => boolean,
): IpcWiring {
  let target: WebContents | null = null;

  for (const name of METHOD_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, async (event: IpcMainInvokeEvent, input: unknown): Promise<Uint8Array> => {
      if (!isOwnPage(senderUrl(event))) return REFUSED_SENDER_JSON;
      return backend.callJson(name, input);
    });
  }

  const unsubscribe = backend.subscribeJson((json) => {
    if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, json);
  });

  return {
    setTarget(contents) {
      target = contents;
    },
    dispose() {
      unsubscribe();
      for (const name of METHOD_NAMES) ipcMain.removeHandler(`${IPC_PREFIX}${name}`);
    },
  };
}
