/**
 * How both hosts serve the console's page (Electron's app://console/ protocol, the preview host's HTTP): the
 * Content-Security-Policy every file of it carries, and the content types of its files. Scripts only from the app
 * itself (no inline script, no eval), nothing from any other origin; antd writes its styles at run time, hence
 * style-src 'unsafe-inline'.
 */
import { extname } from 'node:path';

// electronegativity: CSP_GLOBAL_CHECK — the policy is a response header on every file of the page, set by
// electron/host/protocol.ts (the page is only ever loaded from app://console/) and by the preview host; the tool
// looks for a meta tag or a webRequest hook and cannot see it. test/host/main-bundle.test.ts asserts the header on
// the bundled app.
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The content type of a file by its extension (octet-stream when unknown). */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
