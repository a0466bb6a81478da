// Reads a whole (small) request body: JSON pushes and admin calls.

import type { IncomingMessage } from 'node:http';
import { badBody } from './errors.ts';

export const MAX_JSON_BODY = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(badBody(`请求体过大(超过${limit}字节)`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', () => reject(badBody('请求体读取失败')));
    req.on('close', () => {
      if (!req.complete) reject(badBody('请求体读取失败'));
    });
  });
}

/** Drains a body we do not need, resolving when it has been read (or the socket is gone). */
export function drainBody(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded || req.complete) return resolve();
    req.on('end', () => resolve());
    req.on('close', () => resolve());
    req.on('error', () => resolve());
    req.resume();
  });
}

/** Parses a UTF-8 JSON body strictly (invalid UTF-8 or JSON is null). */
export function parseJsonBody(raw: Buffer): { ok: true; value: unknown; text: string } | { ok: false } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    // Not UTF-8: the caller answers the request as a bad body.
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch {
    // Not JSON: the caller answers the request as a bad body.
    return { ok: false };
  }
}
