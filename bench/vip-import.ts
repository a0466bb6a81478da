/** (e) of `npm run bench`: the renewal import of a 20,000-row .xlsx, in a child process (bench/vip-import-child.ts). */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renewalRows, TEMPLATE_HEADERS, xlsxOf } from '../test/support/vip-sheets.ts';

const ROWS = 20_000;
const CHILD = resolve(import.meta.dirname, 'vip-import-child.ts');

export async function vipImport(
  work: string,
  progress: (s: string) => void,
): Promise<{ name: string; figure: string; target: string; verdict: 'PASS' | 'FAIL' }> {
  progress(`(e) writing a ${ROWS}-row renewal .xlsx, then importing it in a process of its own`);
  const file = join(work, 'renewals-20000.xlsx');
  const rows = renewalRows(ROWS, { seed: 7 });
  // A few bad rows, as real files have: they are reported, the rest is queued.
  for (const i of [10, 5000, 15000]) rows[i]![0] = '';
  writeFileSync(file, await xlsxOf(TEMPLATE_HEADERS, rows));
  const dataDir = join(work, 'vip-import-data');
  mkdirSync(dataDir, { recursive: true });
  const out = await new Promise<string>((res, rej) => {
    const p = spawn(process.execPath, [CHILD, file, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (buf += d));
    p.once('exit', (code) => (code === 0 ? res(buf) : rej(new Error(`vip import child exited ${code}`))));
  });
  const m = JSON.parse(out) as {
    rows: number;
    queued: number;
    bad: number;
    batches: number;
    readCheckMs: number;
    queueMs: number;
    totalMs: number;
    maxRssMb: number;
    maxStallMs: number;
    loopDelayMaxMs: number;
  };
  return {
    name: `(e) renewal import, ${ROWS}-row .xlsx`,
    figure:
      `${(m.totalMs / 1000).toFixed(1)} s (read + check ${(m.readCheckMs / 1000).toFixed(1)} s, ` +
      `queue ${(m.queueMs / 1000).toFixed(1)} s; ${m.queued} rows queued in ${m.batches} batches, ${m.bad} bad); ` +
      `peak RSS ${m.maxRssMb} MB; longest event-loop stall ${m.maxStallMs} ms (loop delay max ${m.loopDelayMaxMs} ms)`,
    target: 'under 10 s, under 400 MB peak RSS, no stall over 200 ms',
    verdict: m.totalMs < 10_000 && m.maxRssMb < 400 && m.maxStallMs < 200 ? 'PASS' : 'FAIL',
  };
}
