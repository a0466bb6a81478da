/** The contract over the preview host: POST /api/<method> and one EventSource on /api/events, with the run's token. */
import type { ApiResult, BoothApi, ConsoleEvent } from '../shared/contract/api.ts';
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
      return { ok: false, error: { code: 'unavailable', message: '无法连接控制台主程序, 请确认预览程序仍在运行' } };
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

  return {
    api,
    host: 'preview',
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}
