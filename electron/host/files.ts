/**
 * The Electron host's file capability (shared/contract/host.ts): Windows' own open and save dialogs. A picked
 * file stays in the main process (its path is registered under a handle, the page gets the handle and the name);
 * a small file to save comes from the page as base64 and is written where the person chose; an export the backend
 * wrote into the data folder (the push log, the support logs) is copied there by the main process and then deleted,
 * never passed through the page. Inputs are checked here: the page is not trusted with more than asking.
 */
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import type { ApiResult } from '../../shared/contract/api.ts';
import {
  EXPORT_HANDLE,
  HOST_FILE_MAX_BYTES,
  HOST_OPEN_LOG_FOLDER_CHANNEL,
  HOST_PICK_CHANNEL,
  HOST_SAVE_CHANNEL,
  HOST_SAVE_EXPORT_CHANNEL,
  type PickedFile,
  type SaveResult,
} from '../../shared/contract/host.ts';
import { toApiError } from '../console/errors.ts';
import type { FileRegistry } from '../services/file-registry.ts';
import { logError } from '../services/logger.ts';

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png']);

const pickSchema = z.strictObject({
  title: z.string().max(100),
  extensions: z
    .array(z.string().regex(/^[a-z0-9]{1,8}$/))
    .min(1)
    .max(8),
});
const saveSchema = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(120)
    .refine((s) => !/[\\/:*?"<>|]/.test(s), '文件名不能含 \\ / : * ? " < > |'),
  mime: z.string().max(100),
  base64: z.string().max(Math.ceil((HOST_FILE_MAX_BYTES * 4) / 3) + 4),
});
const exportSchema = z.object({
  handle: z.string().regex(EXPORT_HANDLE),
  filename: saveSchema.shape.filename,
});

export interface HostFileWiring {
  dispose(): void;
}

export function wireHostFiles(
  ipcMain: IpcMain,
  dialog: Dialog,
  deps: {
    files: FileRegistry;
    window: () => BrowserWindow | null;
    isOwnPage: (url: string) => boolean;
    /** Where the save dialog starts (the Documents folder). */
    saveFolder: () => string;
    /** The file behind an export handle (the backend's exportPath). */
    exportPath: (handle: string) => string | null;
    /** The folder of the log files, and how to open a folder (shell.openPath: '' or the reason it failed). */
    logFolder: string;
    openFolder: (path: string) => Promise<string>;
  },
): HostFileWiring {
  async function guarded<T>(event: IpcMainInvokeEvent, work: () => Promise<T>): Promise<ApiResult<T>> {
    if (!deps.isOwnPage(event.senderFrame?.url ?? '')) {
      return { ok: false, error: { code: 'unauthorized', message: '拒绝来自其他页面的请求' } };
    }
    try {
      return { ok: true, value: await work() };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  /** Windows' save dialog, starting in the Documents folder with the file's name; null when the person cancelled. */
  async function whereToSave(filename: string): Promise<string | null> {
    const win = deps.window();
    const ext = filename.split('.').pop() ?? '';
    const settings = {
      defaultPath: join(deps.saveFolder(), filename),
      filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
    };
    const chosen = win ? await dialog.showSaveDialog(win, settings) : await dialog.showSaveDialog(settings);
    return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
  }

  ipcMain.handle(HOST_PICK_CHANNEL, (event, input: unknown) =>
    guarded<PickedFile | null>(event, async () => {
      const options = pickSchema.parse(input);
      const win = deps.window();
      const settings = {
        title: options.title,
        properties: ['openFile' as const],
        filters: [
          {
            name: options.extensions.every((e) => IMAGE_EXTENSIONS.has(e)) ? '图片' : '表格',
            extensions: options.extensions,
          },
        ],
      };
      const chosen = win ? await dialog.showOpenDialog(win, settings) : await dialog.showOpenDialog(settings);
      const path = chosen.filePaths[0];
      if (chosen.canceled || !path) return null;
      return deps.files.addPath(path);
    }),
  );

  ipcMain.handle(HOST_SAVE_CHANNEL, (event, input: unknown) =>
    guarded<SaveResult>(event, async () => {
      const file = saveSchema.parse(input);
      const to = await whereToSave(file.filename);
      if (!to) return { saved: false, message: '未保存' };
      await writeFile(to, Buffer.from(file.base64, 'base64'));
      return { saved: true, message: `已保存: ${to}` };
    }),
  );

  ipcMain.handle(HOST_SAVE_EXPORT_CHANNEL, (event, input: unknown) =>
    guarded<SaveResult>(event, async () => {
      const file = exportSchema.parse(input);
      const from = deps.exportPath(file.handle);
      if (!from) return { saved: false, message: '导出文件无效' };
      const to = await whereToSave(file.filename);
      if (!to) return { saved: false, message: '未保存 (可以再次导出)' };
      try {
        await copyFile(from, to);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { saved: false, message: '导出文件已不存在 (已保存过或超过一天), 请重新导出' };
        throw e;
      }
      // Saved where the person chose: the copy in the data folder is not needed any more (else swept after a day).
      await rm(from, { force: true }).catch((e: unknown) => logError('host.saveExport', e));
      return { saved: true, message: `已保存: ${to}` };
    }),
  );

  ipcMain.handle(HOST_OPEN_LOG_FOLDER_CHANNEL, (event) =>
    guarded<SaveResult>(event, async () => {
      const failed = await deps.openFolder(deps.logFolder);
      return failed
        ? { saved: false, message: `无法打开日志文件夹 ${deps.logFolder}: ${failed}` }
        : { saved: true, message: `已打开日志文件夹: ${deps.logFolder}` };
    }),
  );

  return {
    dispose() {
      ipcMain.removeHandler(HOST_PICK_CHANNEL);
      ipcMain.removeHandler(HOST_SAVE_CHANNEL);
      ipcMain.removeHandler(HOST_SAVE_EXPORT_CHANNEL);
      ipcMain.removeHandler(HOST_OPEN_LOG_FOLDER_CHANNEL);
    },
  };
}
