/**
 * The console's page is served from the app's own files under a custom privileged scheme, `app://console/`, never
 * from file:// (every file on the disk would share its origin) nor from a server. Only files inside dist/renderer are
 * served, each with a strict Content-Security-Policy header: scripts only from the app itself (no inline script, no
 * eval), nothing from any other origin. antd writes its styles at run time, hence style-src 'unsafe-inline'.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { contentTypeOf, PAGE_CSP } from '../services/page-policy.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads (renderer/vite.config.ts builds with `base: './'`, so its assets resolve under it). */
export const PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * `standard` (relative URLs, an origin of its own), `secure` (a secure context, as https is), fetch and the code
 * cache for the page's modules. Not `bypassCSP`: the page's policy applies in full. Must run before the app is ready.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Whether a frame's URL is the console's own page (the only sender whose IPC calls are answered). */
export function isOwnPage(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // not a URL at all (an empty sender URL): not the console's page
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * The file under `root` that a request's path names, or null when it names anything outside it (`..`, an encoded
 * slash), has a backslash, colon or NUL byte, or is not a valid encoding.
 */
export function fileInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // malformed percent-encoding: no file is named by it
    return null;
  }
  // A backslash is a separator on Windows, a colon names a drive or an NTFS stream: no file of the page has either.
  if (/[\0\\:]/.test(decoded)) return null;
  const wanted = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, wanted);
  const rel = relative(base, full);
  if (rel === '' || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/** Answers one request of the app scheme from the files of `root` (dist/renderer). */
export async function serveAppRequest(root: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, '不支持的请求');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    // Electron only hands over URLs of this scheme; one that does not parse names no file
    return textResponse(400, '无效的地址');
  }
  if (url.host !== APP_HOST) return textResponse(404, '找不到页面');
  const file = fileInside(root, url.pathname);
  if (!file) return textResponse(403, '拒绝访问');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // missing, a folder, or unreadable: the page gets a 404 for that one file, nothing more is said about the disk
    return textResponse(404, '找不到文件');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': contentTypeOf(file),
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}

/** Serves the renderer on the default session's app scheme (after the app is ready). */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request));
}
