// Reads a form request (multipart/form-data or application/x-www-form-urlencoded) with busboy.
// Text parts become raw values (as received); file parts are streamed into an MD5 hash and
// never buffered whole.

import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import busboy from 'busboy';
import { type ApiError, badBody, badParam } from './errors.ts';
import type { StoredFile } from './types.ts';

export interface ParsedForm {
  /** raw text values in arrival order */
  fields: Map<string, string>;
  files: StoredFile[];
}

const LIMITS = {
  fieldNameSize: 200,
  fieldSize: 1024 * 1024,
  fields: 500,
  fileSize: 512 * 1024 * 1024,
  files: 16,
  parts: 600,
};

/**
 * Parses the whole body. `fileFields` are the file part names the endpoint accepts; any other
 * file part, a duplicated name, or an accepted file name sent as a plain text part is a 400
 * naming that field. The body is always read to its end before the promise settles.
 */
export function parseForm(req: IncomingMessage, fileFields: ReadonlySet<string>): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: LIMITS, defCharset: 'utf8' });
    } catch {
      // Not a form busboy can read: the body is drained and the request answered as a bad body.
      req.resume();
      req.once('end', () =>
        reject(badBody('请求体无法解析: 仅支持multipart/form-data或application/x-www-form-urlencoded')),
      );
      req.once('error', () => reject(badBody('请求体读取失败')));
      return;
    }

    const fields = new Map<string, string>();
    const files: StoredFile[] = [];
    const seen = new Set<string>();
    const pending: Promise<void>[] = [];
    let failure: ApiError | null = null;
    let settled = false;
    const fail = (e: ApiError): void => {
      if (failure === null) failure = e;
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      Promise.all(pending).then(
        () => (failure !== null ? reject(failure) : resolve({ fields, files })),
        () => reject(failure ?? badBody('请求体读取失败')),
      );
    };

    bb.on('field', (name, value, info) => {
      if (seen.has(name)) return fail(badParam(name));
      seen.add(name);
      if (info.nameTruncated || info.valueTruncated) return fail(badParam(name));
      if (fileFields.has(name)) return fail(badParam(name));
      fields.set(name, value);
    });

    bb.on('file', (name, stream, info) => {
      const duplicate = seen.has(name);
      seen.add(name);
      if (duplicate || !fileFields.has(name)) {
        fail(badParam(name));
        stream.resume();
        return;
      }
      const hash = createHash('md5');
      let size = 0;
      pending.push(
        new Promise<void>((done, broken) => {
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            hash.update(chunk);
          });
          stream.on('limit', () => fail(badParam(name)));
          stream.on('error', broken);
          stream.on('end', () => {
            files.push({ field: name, filename: info.filename ?? '', size, md5: hash.digest('hex').toUpperCase() });
            done();
          });
        }),
      );
    });

    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      bb.on(limit, () => fail(badBody('请求体无法解析: 表单项过多')));
    }

    bb.on('error', (err: unknown) => {
      fail(badBody(`请求体无法解析: ${err instanceof Error ? err.message : String(err)}`));
      req.unpipe(bb);
      req.resume();
      if (req.readableEnded) finish();
      else req.once('end', finish);
    });
    bb.on('close', finish);
    const aborted = (): void => {
      if (settled) return;
      settled = true;
      reject(badBody('请求体读取失败'));
    };
    req.on('error', aborted);
    req.on('close', () => {
      if (!req.complete) aborted();
    });
    req.pipe(bb);
  });
}
