/**
 * The contract over Electron IPC: one `ipcMain.handle` per contract method, through the same
 * handlers as the preview host, and every event forwarded to the window. Calls from any frame
 * that is not the console's own page are refused.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiResult } from '../../shared/contract/api.ts';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHOD_NAMES } from '../../shared/contract/methods.ts';
import type { BoothConsole } from '../console/handlers.ts';

export interface IpcWiring {
  /** Forward events to this window's page (null: none open). */
  setTarget(contents: WebContents | null): void;
  dispose(): void;
}

export function wireContract(
  ipcMain: IpcMain,
  boothConsole: BoothConsole,
  isOwnPage: (url: string) => boolean,
): IpcWiring {
  let target: WebContents | null = null;

  for (const name of METHOD_NAMES) {
    ipcMain.handle(
      `${IPC_PREFIX}${name}`,
      async (event: IpcMainInvokeEvent, input: unknown): Promise<ApiResult<unknown>> => {
        const url = event.senderFrame?.url ?? '';
        if (!isOwnPage(url)) return { ok: false, error: { code: 'unauthorized', message: '拒绝来自其他页面的请求' } };
        return boothConsole.call(name, input);
      },
    );
  }

  const unsubscribe = boothConsole.subscribe((event) => {
    if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event);
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
