/**
 * (f) of `npm run bench`: the longest event-loop stall of the thread that answers the window (the preview host's
 * process here, bench/host-stall-child.ts; in Electron the main thread, which runs the same relay) while the backend
 * thread imports a 20,000-row .xlsx, exports 100,000 push-log rows, and drains DRAIN_N records at 100 a second. This
 * process drives it over HTTP as the page would (uploads the file, calls the contract, downloads the export, listens
 * to the event stream).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { renewalRows, TEMPLATE_HEADERS, xlsxOf } from '../test/support/vip-sheets.ts';

const CHILD = resolve(import.meta.dirname, 'host-stall-child.ts');
const ROWS = 20_000;
const DRAIN_N = 1500;
const TARGET_MS = 50;

type Result = { name: string; figure: string; target: string; verdict: 'PASS' | 'FAIL' };
type Figures = { maxStallMs: number; maxBusyMs: number; loopDelayMaxMs: number };

export async function hostStall(work: string, progress: (s: string) => void): Promise<Result[]> {
  progress(`(f) the host thread's stalls: a ${ROWS}-row import, a 100,000-row export, ${DRAIN_N} records at 100/s`);
  const sheet = renewalRows(ROWS, { seed: 11 });
  for (const i of [10, 5000, 15000]) sheet[i]![0] = '';
  const xlsx = await xlsxOf(TEMPLATE_HEADERS, sheet);
  const dataDir = join(work, 'host-stall-data');
  mkdirSync(dataDir, { recursive: true });

  const child = spawn(process.execPath, [CHILD, dataDir, String(DRAIN_N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('host stall child ended early');
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const { url, token, pin } = (await nextLine()) as { url: string; token: string; pin: string };
  const headers = { 'x-booth-token': token };
  async function call<T>(method: string, input: unknown = {}): Promise<T> {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const reply = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
    return reply.value as T;
  }
  async function phase(work: () => Promise<string>): Promise<Figures & { detail: string; ms: number }> {
    child.stdin.write('start\n');
    await nextLine();
    const t0 = performance.now();
    const detail = await work();
    const ms = performance.now() - t0;
    child.stdin.write('stop\n');
    return { ...((await nextLine()) as Figures), detail, ms };
  }

  // The page's event stream stays open throughout, as a window's would.
  const events = await fetch(`${url}/api/events?token=${encodeURIComponent(token)}`);
  const reader = events.body!.getReader();
  let stream = '';
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      stream = (stream + decoder.decode(value, { stream: true })).slice(-100_000);
    }
  })().catch(() => undefined);

  await call('unlockManager', { pin, name: '基准测试' });
  try {
    const imported = await phase(async () => {
      const up = await fetch(`${url}/files`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream', 'x-file-name': 'renewals.xlsx' },
        body: Buffer.from(xlsx),
      });
      const picked = ((await up.json()) as { value: { handle: string } }).value;
      const preview = await call<{ good: number; badRows: number }>('checkVipImport', { file: picked.handle });
      const done = await call<{ queued?: number; batches?: unknown[] }>('commitVipImport', { file: picked.handle });
      return `${preview.good} rows queued, ${preview.badRows} bad, ${done.batches?.length ?? '?'} batches`;
    });
    const exported = await phase(async () => {
      const out = await call<{ rows: number; file: { handle: string; bytes: number } }>('exportLogCsv', {});
      const res = await fetch(`${url}/exports/${out.file.handle}?token=${encodeURIComponent(token)}&name=log.csv`);
      const size = (await res.arrayBuffer()).byteLength;
      return `${out.rows} rows, ${(size / 1048576).toFixed(1)} MB downloaded`;
    });
    const drained = await phase(async () => {
      await call('resumeQueue');
      for (;;) {
        const status = await call<{ queue: { counts: Record<string, number>; inFlight: number } }>('getStatus');
        // The import's renewals wait for a platform setting (none for VIP here); the releases are what drain.
        const left = status.queue.counts.waiting! - ROWS / 500;
        if (status.queue.inFlight === 0 && left <= 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      return `${DRAIN_N} releases`;
    });
    const result = (name: string, f: Figures & { detail: string; ms: number }): Result => ({
      name: `(f) host thread during ${name}`,
      figure:
        `longest stall ${f.maxStallMs} ms (loop delay max ${f.loopDelayMaxMs} ms; ` +
        `the thread's own work in it at most ` +
        `${f.maxBusyMs} ms) over ${(f.ms / 1000).toFixed(1)} s; ` +
        f.detail,
      target: `no stall over ${TARGET_MS} ms`,
      verdict: f.maxStallMs < TARGET_MS ? 'PASS' : 'FAIL',
    });
    const perSecond = Math.round((DRAIN_N * 1000) / drained.ms);
    return [
      result(`a ${ROWS}-row import`, imported),
      result('a 100,000-row export', exported),
      result(`a drain at 100/s`, {
        ...drained,
        detail: `${drained.detail} in ${(drained.ms / 1000).toFixed(1)} s (${perSecond}/s)`,
      }),
    ];
  } finally {
    await reader.cancel().catch(() => undefined);
    child.stdin.write('quit\n');
    await new Promise((r) => child.once('exit', r));
  }
}
