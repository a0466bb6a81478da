// Writing the platform's answers.

import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export const DATA_NODE = 'SANDBOX/LOCAL-1';

export interface PlatformAnswer {
  code: string;
  message: string;
  hint?: string;
  seqno: string;
  data_node: string;
  path: string;
}

/** A fresh 16-hex-digit seqno. */
export function newSeqno(): string {
  return randomBytes(8).toString('hex');
}

function writable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded && !res.socket?.destroyed;
}

export function sendJson(res: ServerResponse, httpStatus: number, body: unknown): void {
  if (!writable(res)) return;
  const text = JSON.stringify(body);
  res.writeHead(httpStatus, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function platformAnswer(
  path: string,
  seqno: string,
  code: string,
  message: string,
  hint?: string,
): PlatformAnswer {
  return hint === undefined
    ? { code, message, seqno, data_node: DATA_NODE, path }
    : { code, message, hint, seqno, data_node: DATA_NODE, path };
}

export function sendGarbage(res: ServerResponse): void {
  if (!writable(res)) return;
  const html =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
    '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}
