/** Rows of a VIP renewal import, the staging's state, and an import run in a process of its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { DatabaseSync } from 'node:sqlite';
import { vipRow } from '../fixtures/records.ts';

export const IMPORT_CHILD = resolve(import.meta.dirname, 'vip-import-child.ts');

/**
 * `n` platform rows (n ≤ 100,000) as a manager's spreadsheet gives them: even rows with the park's own order number
 * (`${key}-${i}`), odd rows without one (minted at import). Each row its own plate 粤<city>nnnnn, in no order (as in
 * a real list, so that the indexes are written at random places, not appended).
 */
export function importRows(n: number, opts: { city?: string; key?: string } = {}): Record<string, unknown>[] {
  const city = opts.city ?? 'B';
  const key = opts.key ?? `IMP${city}`;
  return Array.from({ length: n }, (_, i) => {
    const plate = `粤${city}${String((i * 7919) % 100_000).padStart(5, '0')}`; // 7919 is prime to 100,000: no repeats
    const row = vipRow({ plate, pay_partner: `${key}-${i}` });
    if (i % 2 === 1) delete row.pay_partner;
    return row;
  });
}

/** What the staging tables and the imports table hold now. */
export function staging(sql: DatabaseSync): { imports: number; open: number; records: number; rows: number } {
  const n = (q: string) => (sql.prepare(q).get() as { n: number }).n;
  return {
    imports: n('SELECT COUNT(*) AS n FROM imports'),
    open: n('SELECT COUNT(*) AS n FROM imports WHERE committed_at IS NULL'),
    records: n('SELECT COUNT(*) AS n FROM staged_records'),
    rows: n('SELECT COUNT(*) AS n FROM staged_vip_rows'),
  };
}

export interface ImportChild {
  child: ChildProcess;
  /** The next line the child prints for which `test` holds (JSON objects). */
  line(test: (msg: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Lets a paused import go on. */
  go(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `vip-import-child.ts`: imports `rows` importRows(rows, { city }) into `dataDir` in batches of 500, pausing (it prints
 * {"paused": done}) once `pauseAt` rows are staged, until told to go on; prints {"results": …} when committed.
 */
export function startImportChild(dataDir: string, rows: number, pauseAt: number, city: string): ImportChild {
  const child = spawn(process.execPath, [IMPORT_CHILD, dataDir, String(rows), String(pauseAt), city], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const seen: Record<string, unknown>[] = [];
  const waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] =
    [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const msg = JSON.parse(text) as Record<string, unknown>;
    seen.push(msg);
    for (const w of [...waiters]) {
      if (w.test(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('close', (code, signal) => res({ code, signal })),
  );
  return {
    child,
    line(test, timeoutMs = 20_000) {
      const found = seen.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`import child: no such line in time; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: (m) => {
            clearTimeout(timer);
            res(m);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          rej(new Error(`import child ended first; stderr: ${stderr}`));
        });
      });
    },
    go() {
      child.stdin!.write('go\n');
    },
    exited,
  };
}
