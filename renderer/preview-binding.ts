/**
 * The contract over the preview host: POST /api/<method> and one EventSource on /api/events, with the run's token.
 * Files: the browser's file input, the bytes sent to POST /files (the host answers a handle); saving is a download.
 */
import type { ApiResult, BoothApi, ConsoleEvent } from '../shared/contract/api.ts';
import {
  type ExportFile,
  HOST_FILE_MAX_BYTES,
  type HostFiles,
  type PickedFile,
  type PickOptions,
  type SaveResult,
} from '../shared/contract/host.ts';
import { METHOD_NAMES, type MethodName } from '../shared/contract/methods.ts';
import type { Binding } from './binding.ts';

const TOKEN_KEY = 'booth.previewToken';

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep it out of the address bar (and out of screenshots and history).
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const UNAVAILABLE = '无法连接控制台主程序, 请确认预览程序仍在运行';

/** The picked file's bytes to the preview host, which keeps them under a handle for this run. */
async function upload(file: File, token: string): Promise<PickedFile> {
  if (file.size > HOST_FILE_MAX_BYTES) {
    throw new Error(`文件过大: 不能超过 ${HOST_FILE_MAX_BYTES / 1024 / 1024} MB`);
  }
  let res: Response;
  try {
    res = await fetch('/files', {
      method: 'POST',
      headers: {
        'x-booth-token': token,
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
  } catch {
    throw new Error(UNAVAILABLE);
  }
  let reply: ApiResult<PickedFile>;
  try {
    reply = (await res.json()) as ApiResult<PickedFile>;
  } catch {
    throw new Error(`文件没有送到控制台主程序 (HTTP ${res.status}), 请重试`);
  }
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

/**
 * The browser's file dialog. Must be called from a click (a browser opens it only for a person's action); null when
 * the dialog was closed without a file (the input's `cancel` event; where a browser lacks it, the window getting
 * the focus back with no file chosen).
 */
function pickFile(options: PickOptions, token: string): Promise<PickedFile | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = options.extensions.map((e) => `.${e}`).join(',');
    input.tabIndex = -1;
    input.style.display = 'none';
    input.setAttribute('aria-hidden', 'true');
    document.body.appendChild(input);
    let settled = false;
    const finish = () => {
      settled = true;
      input.remove();
      window.removeEventListener('focus', onFocus);
    };
    const onFocus = () => {
      setTimeout(() => {
        if (!settled && !input.files?.length) {
          finish();
          resolve(null);
        }
      }, 1500);
    };
    input.addEventListener('cancel', () => {
      if (settled) return;
      finish();
      resolve(null);
    });
    input.addEventListener('change', () => {
      if (settled) return;
      const file = input.files?.[0];
      finish();
      if (!file) return resolve(null);
      upload(file, token).then(resolve, reject);
    });
    window.addEventListener('focus', onFocus);
    input.click();
  });
}

/** A file the main process made, as a download (the browser puts it in its download folder). */
async function saveFile(file: { filename: string; mime: string; base64: string }): Promise<SaveResult> {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { saved: true, message: `已保存到浏览器的下载文件夹: ${file.filename}` };
}

/**
 * A file the main process exported (ExportFile): the preview host streams it as a download from
 * `GET /exports/<handle>` and deletes it once sent; the browser puts it in its download folder.
 */
function saveExport(file: ExportFile, token: string): Promise<SaveResult> {
  const a = document.createElement('a');
  const query = new URLSearchParams({ token, name: file.filename });
  a.href = `/exports/${encodeURIComponent(file.handle)}?${query.toString()}`;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  return Promise.resolve({ saved: true, message: `已保存到浏览器的下载文件夹: ${file.filename}` });
}

/** The browser opens no folder: the preview host answers where the log files are. */
async function openLogFolder(token: string): Promise<SaveResult> {
  try {
    const res = await fetch('/host/openLogFolder', { method: 'POST', headers: { 'x-booth-token': token } });
    const reply = (await res.json()) as ApiResult<SaveResult>;
    return reply.ok ? reply.value : { saved: false, message: reply.error.message };
  } catch {
    // The preview host is gone: said to the person; nothing else happened.
    return { saved: false, message: UNAVAILABLE };
  }
}

export function createPreviewBinding(): Binding {
  const token = takeToken();
  const listeners = new Set<(e: ConsoleEvent) => void>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let broken = false;

  async function call(method: MethodName, input: unknown): Promise<ApiResult<unknown>> {
    try {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-booth-token': token },
        body: JSON.stringify(input ?? {}),
      });
      return (await res.json()) as ApiResult<unknown>;
    } catch {
      // The preview host is gone (closed, restarted): said to the person; nothing was sent, nothing saved.
      return { ok: false, error: { code: 'unavailable', message: UNAVAILABLE } };
    }
  }

  function connect(): void {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as ConsoleEvent;
      for (const l of listeners) l(event);
    };
    source.onerror = () => {
      broken = true;
    };
    source.onopen = () => {
      if (broken) for (const l of reconnectListeners) l();
      broken = false;
    };
  }

  const api = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, (input?: unknown) => call(name, input)]),
  ) as unknown as BoothApi;
  api.onEvent = (listener) => {
    listeners.add(listener);
    connect();
    return () => listeners.delete(listener);
  };

  const files: HostFiles = {
    pickFile: (options) => pickFile(options, token),
    saveFile,
    saveExport: (file) => saveExport(file, token),
    openLogFolder: () => openLogFolder(token),
  };

  return {
    api,
    files,
    host: 'preview',
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}
