/**
 * `drain` killed with SIGKILL at random moments, many times, against a sandbox that answers slowly, drops
 * connections and drops answers after accepting. In the end every record arrived exactly once, none is
 * lost, and every repeat the platform saw carried the same key and the same content.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mulberry32 } from '../../electron/sandbox/faults.ts';
import { startSandbox, type Sandbox, type StoredRecord } from '../../electron/sandbox/server.ts';
import { leaveRecord, updateRecord } from '../fixtures/records.ts';
import { jsonLines, runCli, startCli, tempDir, toJsonLines } from './cli-helpers.ts';

const PARK = 'KILL-TEST-PARK';
const SECRET = 'kill-test-secret';
/** Runs killed before one is let finish (at a higher rate, so the test stays short under load). */
const KILLS = 24;

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex').toUpperCase();

let sandbox: Sandbox;
const tmp = tempDir('sigkill-');
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, parks: { [PARK]: SECRET }, seed: 20261125 });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

interface Sent {
  endpoint: 'update' | 'leave';
  record: Record<string, unknown>;
  key: string;
  files: { field: string; filename: string; size: number; md5: string }[];
}

/** What the platform must hold for a record: every field as text, park_uuid, images by hash. */
function expectStored(stored: StoredRecord, sent: Sent): void {
  const expected: Record<string, string> = { park_uuid: PARK };
  for (const [k, v] of Object.entries(sent.record)) {
    if (k.endsWith('_file') || k === 'payment_list' || v === undefined || v === null || v === '') continue;
    expected[k] = String(v);
  }
  expected[sent.endpoint === 'update' ? 'flow_no' : 'parking_serial'] = sent.key;
  for (const f of sent.files) expected[f.field.replace(/_file$/, '_hash')] = f.md5;
  const { payment_list: payments, ...fields } = stored.fields;
  expect(fields).toEqual(expected);
  if (Array.isArray(sent.record.payment_list)) {
    const got = JSON.parse(payments ?? '[]') as Record<string, unknown>[];
    expect(got.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])))).toEqual(
      (sent.record.payment_list as Record<string, unknown>[]).map((p) =>
        Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])),
      ),
    );
  }
  expect([...stored.files].sort((a, b) => a.field.localeCompare(b.field))).toEqual(
    [...sent.files].sort((a, b) => a.field.localeCompare(b.field)),
  );
}

it('survives SIGKILL at random moments: every record arrives once, repeats carry the same key and content', {
  timeout: 120_000,
}, async () => {
  const random = mulberry32(7);
  const data = join(tmp.dir, 'data');

  // 60 updates (half with their own flow_no) and 30 leaves (a third with images on disk).
  const updates = Array.from({ length: 60 }, (_, i) => {
    const r = updateRecord({ plate: `粤B${String(30000 + i)}`, flow_no: i % 2 === 0 ? `KILL-F-${i}` : undefined });
    if (i % 2 === 1) delete r.flow_no;
    return r;
  });
  const leaveFiles = new Map<number, Sent['files']>();
  const leaves = Array.from({ length: 30 }, (_, i) => {
    const over: Record<string, unknown> = { plate: `粤L${String(40000 + i)}`, parking_serial: `KILL-L-${i}` };
    const files: Sent['files'] = [];
    if (i % 3 === 0) {
      for (const slot of i % 2 === 0 ? ['leave_image', 'enter_image'] : ['leave_image']) {
        const bytes = Uint8Array.from({ length: 1000 + Math.floor(random() * 20_000) }, () =>
          Math.floor(random() * 256),
        );
        const name = `${slot}-${i}.jpg`;
        tmp.file(name, bytes);
        over[`${slot}_file`] = name;
        files.push({ field: `${slot}_file`, filename: name, size: bytes.length, md5: md5(bytes) });
      }
    }
    leaveFiles.set(i, files);
    return leaveRecord(over);
  });

  const sent: Sent[] = [];
  for (const [endpoint, records] of [
    ['update', updates],
    ['leave', leaves],
  ] as const) {
    const file = tmp.file(`${endpoint}.jsonl`, toJsonLines(records));
    const r = await runCli(['enqueue', '--endpoint', endpoint, '--file', file, '--data-dir', data]);
    expect(r.stderr.trim()).toBe(`enqueue: 新保存 ${records.length} 条记录`);
    const keys = jsonLines(r.stdout).map((l) => String(l.key));
    expect(keys).toHaveLength(records.length);
    records.forEach((record, i) => {
      sent.push({ endpoint, record, key: keys[i]!, files: endpoint === 'leave' ? leaveFiles.get(i)! : [] });
    });
  }

  sandbox.setFaults([
    { kind: 'drop-after-accept', rate: 0.12 },
    { kind: 'drop', rate: 0.04 },
    { kind: 'error', httpStatus: 503, code: '503', rate: 0.04 },
    { kind: 'delay', delayMs: 150, rate: 0.3 },
    { kind: 'delay', delayMs: 40, rate: 0.7 },
  ]);
  // A low rate while killing (a few records per run), so that many runs are cut short mid-queue.
  const drain = (rate: number) => [
    'drain',
    '--data-dir',
    data,
    '--until-empty',
    '--quiet',
    '--base-url',
    sandbox.url,
    '--park-uuid',
    PARK,
    '--secret',
    SECRET,
    '--concurrency',
    '2',
    '--rate',
    String(rate),
    '--timeout-ms',
    '3000',
    '--backoff-ms',
    '20',
    '--backoff-cap-ms',
    '300',
  ];

  let kills = 0;
  let runs = 0;
  for (;;) {
    runs++;
    const killing = kills < KILLS;
    const { child, done } = startCli(drain(killing ? 3 : 100));
    // Anywhere from Node's start-up (opening the database, releasing what was in flight) to well into sending.
    const timer = killing ? setTimeout(() => child.kill('SIGKILL'), 100 + Math.floor(random() * 900)) : null;
    const r = await done;
    if (timer) clearTimeout(timer);
    if (r.signal === 'SIGKILL') {
      kills++;
      continue;
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    break;
  }
  expect(kills).toBeGreaterThanOrEqual(20);

  const state = sandbox.state();
  const stored = new Map<string, StoredRecord[]>();
  for (const s of [...state.accepted.update, ...state.accepted.leave])
    stored.set(s.key, [...(stored.get(s.key) ?? []), s]);
  // None lost, none extra, each exactly once.
  expect([...stored.keys()].sort()).toEqual(sent.map((s) => s.key).sort());
  expect([...stored.values()].every((list) => list.length === 1)).toBe(true);
  // Repeats happened (answers were dropped after accepting, runs were killed mid-send), all harmless.
  expect(state.repeats.length).toBeGreaterThan(0);
  expect(state.repeats.filter((r) => !r.sameContent)).toEqual([]);
  expect(state.repeats.every((r) => stored.has(r.key))).toBe(true);
  for (const s of sent) expectStored(stored.get(s.key)![0]!, s);

  const status = JSON.parse((await runCli(['status', '--data-dir', data])).stdout) as {
    counts: Record<string, number>;
  };
  expect(status.counts).toEqual({ waiting: 0, sending: 0, accepted: sent.length, attention: 0, cancelled: 0 });
  console.log(
    `sigkill: ${kills} kills in ${runs} runs; ` +
      `${state.received} requests, ${state.repeats.length} repeats, all with the same content`,
  );
});
