/**
 * A tiny stand-in for the platform on 127.0.0.1 (port 0) whose answers a test writes: to produce what the
 * sandbox does not (a hint that shows a value read differently, an answer that echoes the secret).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  path: string;
  /** Form text fields as received (sign included); empty for JSON. */
  fields: Record<string, string>;
  /** Names of the file parts. */
  files: string[];
  body: string;
}

export interface StubAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStub(answer: (req: StubRequest) => StubAnswer): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      const got: StubRequest = {
        path: req.url ?? '/',
        fields: {},
        files: [],
        body: type.startsWith('multipart/') ? '' : raw.toString('utf8'),
      };
      if (type.startsWith('multipart/')) {
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        for (const [k, v] of form) {
          if (typeof v === 'string') got.fields[k] = v;
          else got.files.push(k);
        }
      }
      requests.push(got);
      const a = answer(got);
      const text = JSON.stringify(a.body);
      res.writeHead(a.status, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The platform's plain text of a form request as it shows it in a hint: sign dropped, ASCII order. */
export function hintPlain(
  fields: Record<string, string>,
  misread: (k: string, v: string) => string = (_k, v) => v,
): string {
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${misread(k, fields[k]!)}`)
    .join('&');
  return `${text}&app_secret=***`;
}

/** What a platform that decodes the plate in the wrong charset reads: every non-ASCII character a `?`. */
export const misreadPlate = (k: string, v: string) => (k === 'plate' ? v.replace(/[^\p{ASCII}]/gu, '?') : v);
