/**
 * The preview host: the console's renderer and its contract over HTTP on 127.0.0.1 only, for a
 * machine that cannot run Electron and for the end-to-end tests. `POST /api/<method>` (JSON in,
 * ApiResult out), `GET /api/events` (server-sent events) and `POST /files` (a picked file's bytes)
 * need the per-run token, as the `x-booth-token` header or the `token` query parameter. Requests
 * naming another host (DNS rebinding) or coming from another origin are refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ApiResult } from '../../shared/contract/api.ts';
import { HOST_FILE_MAX_BYTES, type PickedFile } from '../../shared/contract/host.ts';
import type { BoothConsole } from '../console/handlers.ts';
import { toApiError } from '../console/errors.ts';
import { FILE_TOO_LARGE, type FileRegistry } from '../services/file-registry.ts';
import { logError } from '../services/logger.ts';
import { contentTypeOf, PAGE_CSP } from '../services/page-policy.ts';

export interface PreviewOptions {
  /** The console's contract: in-process (tests) or the backend thread (electron/backend/client.ts). */
  console: Pick<BoothConsole, 'call' | 'subscribe'> & {
    /** The reply as UTF-8 JSON made elsewhere (the backend thread): sent as it is, never parsed or encoded here. */
    callJson?: (method: string, input: unknown) => Promise<Uint8Array>;
    /** Events as UTF-8 JSON made elsewhere: relayed as they are. */
    subscribeJson?: (listener: (json: Uint8Array) => void) => () => void;
  };
  /** The built renderer (vite's output). */
  staticDir: string;
  /** 0 or absent: a free port chosen now. */
  port?: number;
  token?: string;
  /** Where files the page uploads (`POST /files`: a spreadsheet picked in the browser) are kept for the console. */
  files?: FileRegistry;
  /** The file behind an export handle (`GET /exports/<handle>` streams it as a download, then deletes it). */
  exportPath?: (handle: string) => string | null;
  /** The folder of the console's log files (`POST /host/openLogFolder` says where it is: a browser opens no folder). */
  logFolder?: string;
}

export interface PreviewHost {
  /** http://127.0.0.1:PORT/?token=… : what to open. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const BODY_MAX = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy': PAGE_CSP,
};

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type = 'application/json; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const reply: ApiResult<never> = {
    ok: false,
    error: { code: status === 401 ? 'unauthorized' : 'unavailable', message },
  };
  send(res, status, JSON.stringify(reply));
}

async function readBytes(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  return (await readBytes(req, BODY_MAX))?.toString('utf8') ?? null;
}

/** `POST /files`: the raw bytes of a file the person picked in the page, its name in `x-file-name` (URI-encoded). */
async function receiveFile(req: IncomingMessage, res: ServerResponse, files: FileRegistry | undefined): Promise<void> {
  if (!files) return refuse(res, 404, '此预览程序不接收文件');
  if (req.method !== 'POST') return refuse(res, 405, '仅支持 POST');
  if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
    return refuse(res, 415, '文件须以 application/octet-stream 发送');
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > HOST_FILE_MAX_BYTES) return refuse(res, 413, FILE_TOO_LARGE);
  const bytes = await readBytes(req, HOST_FILE_MAX_BYTES);
  if (bytes === null) return refuse(res, 413, FILE_TOO_LARGE);
  let name: string;
  try {
    name = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
  } catch {
    // A malformed name is not a reason to lose the file: it is kept under a plain one.
    name = '';
  }
  let reply: ApiResult<PickedFile>;
  try {
    reply = { ok: true, value: files.addBytes(name || '未命名文件', bytes) };
  } catch (e) {
    reply = { ok: false, error: toApiError(e) };
  }
  send(res, 200, JSON.stringify(reply));
}

/** A name for Content-Disposition: no path, no control characters, at most 120 characters. */
function downloadName(raw: string | null): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  const base = (raw ?? '').replace(/[\\/\u0000-\u001f\u007f"]/g, '').trim();
  return (base || '导出文件').slice(0, 120);
}

/** `GET /exports/<handle>?name=…`: an export the backend wrote, streamed as a download and deleted once sent. */
function sendExport(req: IncomingMessage, res: ServerResponse, url: URL, pathOf: PreviewOptions['exportPath']) {
  if (req.method !== 'GET') {
    refuse(res, 405, '仅支持 GET');
    return;
  }
  const path = pathOf?.(url.pathname.slice('/exports/'.length)) ?? null;
  const stat = path ? statSafe(path) : null;
  if (!path || !stat?.isFile()) {
    refuse(res, 404, '导出文件已不存在 (已保存过或超过一天), 请重新导出');
    return;
  }
  const name = downloadName(url.searchParams.get('name'));
  const ascii = `export${extname(name).replace(/[^A-Za-z0-9.]/g, '')}`;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': contentTypeOf(name),
    'content-length': String(stat.size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'cache-control': 'no-store',
  });
  // A read error (the file removed or locked meanwhile) ends this response, never the process.
  pipeline(createReadStream(path), res).then(
    () => rm(path, { force: true }).catch((e: unknown) => logError('preview.export', e)),
    (e: unknown) => logError('preview.export', e),
  );
}

export async function startPreviewHost(options: PreviewOptions): Promise<PreviewHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const staticRoot = resolve(options.staticDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  function authorised(req: IncomingMessage, url: URL): boolean {
    const given = (req.headers['x-booth-token'] as string | undefined) ?? url.searchParams.get('token') ?? '';
    return timingSafeEqual(digest(given), tokenDigest);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !origins().has(origin)) return refuse(res, 403, '不接受来自其他网页的请求');
    if (!authorised(req, url)) return refuse(res, 401, '访问令牌无效: 请使用启动时打印的地址打开');

    if (url.pathname === '/files') return receiveFile(req, res, options.files);
    if (url.pathname.startsWith('/exports/')) return sendExport(req, res, url, options.exportPath);
    if (url.pathname === '/host/openLogFolder') {
      if (req.method !== 'POST') return refuse(res, 405, '仅支持 POST');
      const message = options.logFolder
        ? `浏览器预览不能打开文件夹; 日志文件在: ${options.logFolder}`
        : '此预览程序没有日志文件';
      return send(res, 200, JSON.stringify({ ok: true, value: { saved: false, message } }));
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(res, 405, '仅支持 GET');
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      streams.add(res);
      const c = options.console;
      const unsubscribe = c.subscribeJson
        ? c.subscribeJson((json) => {
            res.write('data: ');
            res.write(json);
            res.write('\n\n');
          })
        : c.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      const beat = setInterval(() => res.write(': \n\n'), HEARTBEAT_MS);
      beat.unref();
      res.on('close', () => {
        clearInterval(beat);
        unsubscribe();
        streams.delete(res);
      });
      return;
    }

    if (req.method !== 'POST') return refuse(res, 405, '仅支持 POST');
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return refuse(res, 415, '请求须为 JSON');
    const text = await readBody(req);
    if (text === null) return refuse(res, 413, '请求过大');
    let input: unknown;
    try {
      input = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      // Answered as a bad request; nothing was called.
      return refuse(res, 400, '请求不是有效的 JSON');
    }
    const name = decodeURIComponent(url.pathname.slice('/api/'.length));
    const c = options.console;
    send(res, 200, c.callJson ? await c.callJson(name, input) : JSON.stringify(await c.call(name, input)));
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, '仅支持 GET', 'text/plain; charset=utf-8');
      return;
    }
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    } catch {
      // A malformed %-escape: the address is answered as bad, nothing else happens.
      send(res, 400, '地址无效', 'text/plain; charset=utf-8');
      return;
    }
    let file = join(staticRoot, rel);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      send(res, 404, '未找到', 'text/plain; charset=utf-8');
      return;
    }
    let stat = statSafe(file);
    // The console is one page: anything that is not a file is the page.
    if (!stat?.isFile()) {
      if (extname(rel) !== '') {
        send(res, 404, '未找到', 'text/plain; charset=utf-8');
        return;
      }
      file = join(staticRoot, 'index.html');
      stat = statSafe(file);
      if (!stat?.isFile()) {
        send(res, 503, '界面尚未构建: 请运行 npm run build:renderer', 'text/plain; charset=utf-8');
        return;
      }
    }
    const hashed = rel.startsWith('assets/');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': contentTypeOf(file),
      'content-length': String(stat.size),
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return refuse(res, 421, '地址不对: 请用 127.0.0.1 打开');
    const url = new URL(req.url ?? '/', `http://${host}`);
    // Files the page uploads need the same origin and token checks as the contract.
    const work =
      url.pathname.startsWith('/api/') ||
      url.pathname === '/files' ||
      url.pathname.startsWith('/exports/') ||
      url.pathname.startsWith('/host/')
        ? handleApi(req, res, url)
        : Promise.resolve(serveStatic(req, res, url));
    work.catch(() => {
      if (!res.headersSent) refuse(res, 500, '内部错误');
      else res.end();
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close() {
      return new Promise<void>((done) => {
        for (const s of streams) s.end();
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    // No such file: the caller serves the page or answers 404.
    return null;
  }
}
