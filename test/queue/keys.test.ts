/**
 * Keys that can never collide: two installs with identical settings, one install before and after its
 * database is wiped or restored, a key given from the command line that minting would have taken, and
 * key fields that must be text.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSettings } from '../../electron/cli/queue-target.ts';
import { createPlatformClient } from '../../electron/platform/client.ts';
import { DB_FILE, openDb } from '../../electron/queue/db.ts';
import { databasePart, formatKey, runId } from '../../electron/queue/keys.ts';
import { createQueue } from '../../electron/queue/queue.ts';
import { queueConfigFrom } from '../../electron/services/open.ts';
import { updateRecord } from '../fixtures/records.ts';
import { tempDir, useSandbox } from '../support/sandbox.ts';
import { jsonLines, runCli, tempDir as cliTemp, toJsonLines } from './cli-helpers.ts';

const { sandbox, target } = useSandbox();
const T0 = Date.UTC(2026, 10, 26, 8, 30, 15, 123);
const KEY = /^ST01-F-20261126-\d{9}-[0-9A-Z]{8}$/;

/** A console's outbox on `dir` as the console opens it (its own settings), minting at a clock the test sets. */
function outbox(dir: string, now: () => number = () => T0) {
  const settings = openSettings(dir);
  const db = openDb(dir);
  const client = createPlatformClient({ timeoutMs: 2000 });
  const base = queueConfigFrom(settings, 20);
  const queue = createQueue({
    db,
    client,
    now,
    runId: () => settings.nextRunId(),
    config: () => ({ ...base(), target: target(), ratePerSecond: 1000 }),
  });
  return {
    queue,
    settings,
    db,
    async close() {
      await queue.stop(2000);
      client.close();
      db.close();
    },
  };
}

/** `n` different releases without a flow_no: the outbox mints each one's key. */
function releases(n: number, tag: string) {
  return [...Array(n)].map((_, i) => {
    const { flow_no: _none, ...r } = updateRecord({ parking_serial: `PS-${tag}-${i}` });
    return r;
  });
}

const dirs: string[] = [];
function fresh(): string {
  const d = tempDir('keys');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('minted keys', () => {
  const twoInstallsNeverShareAKey =
    'two installs with identical default settings, minting at the same instant, never share a key; both arrive whole';
  it(twoInstallsNeverShareAKey, async () => {
    const a = outbox(fresh());
    const b = outbox(fresh());
    expect(a.settings.values()).toEqual(b.settings.values());
    const keysA = a.queue.enqueueMany('update', releases(25, 'A')).map((r) => r.key);
    const keysB = b.queue.enqueueMany('update', releases(25, 'B')).map((r) => r.key);
    for (const k of [...keysA, ...keysB]) expect(k).toMatch(KEY);
    expect(new Set([...keysA, ...keysB]).size).toBe(50);

    for (const o of [a, b]) {
      o.queue.start();
      await o.queue.idle();
      await o.close();
    }
    const arrived = sandbox()
      .state()
      .accepted.update.map((r) => r.key);
    expect(arrived).toHaveLength(50);
    expect(new Set(arrived)).toEqual(new Set([...keysA, ...keysB]));
  });

  it('two PCs set up from one copied settings file (same install id) still mint different keys', async () => {
    const first = fresh();
    const a = outbox(first);
    a.queue.enqueue('update', releases(1, 'SETUP')[0]!);
    await a.close();
    const dirs2 = [fresh(), fresh()];
    for (const d of dirs2) copyFileSync(join(first, 'settings.json'), join(d, 'settings.json'));
    const [x, y] = dirs2.map((d) => outbox(d));
    expect(x!.settings.installId()).toBe(y!.settings.installId());
    const keysX = x!.queue.enqueueMany('update', releases(300, 'X')).map((r) => r.key);
    const keysY = y!.queue.enqueueMany('update', releases(300, 'Y')).map((r) => r.key);
    expect(keysX.filter((k) => keysY.includes(k))).toEqual([]);
    await x!.close();
    await y!.close();
  });

  it('one install mints none of its old keys after its database is wiped, even at the same instant', async () => {
    const dir = fresh();
    const first = outbox(dir);
    const before = first.queue.enqueueMany('update', releases(20, 'X')).map((r) => r.key);
    await first.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, DB_FILE + suffix), { force: true });

    const second = outbox(dir);
    expect(second.queue.status().counts.waiting).toBe(0);
    const after = second.queue.enqueueMany('update', releases(20, 'X')).map((r) => r.key);
    await second.close();
    expect(after.filter((k) => before.includes(k))).toEqual([]);
  });

  it('one install restored from an older copy of its database mints none of the keys made since', async () => {
    const dir = fresh();
    const copy = join(fresh(), 'copy.sqlite');
    const one = outbox(dir, () => T0);
    one.queue.enqueueMany('update', releases(3, 'OLD'));
    await one.close();
    copyFileSync(join(dir, DB_FILE), copy);

    let t = T0 + 60_000;
    const two = outbox(dir, () => t);
    // a burst: keys run ahead of the clock
    const since = two.queue.enqueueMany('update', releases(200, 'NEW')).map((r) => r.key);
    await two.close();

    for (const suffix of ['-wal', '-shm']) rmSync(join(dir, DB_FILE + suffix), { force: true });
    copyFileSync(copy, join(dir, DB_FILE));
    t = T0 + 60_050; // inside the burst's window
    const three = outbox(dir, () => t);
    const restored = three.queue.enqueueMany('update', releases(200, 'LATER')).map((r) => r.key);
    await three.close();
    expect(restored.filter((k) => since.includes(k))).toEqual([]);
  });

  const passesOverATakenKey =
    'passes over a key already taken (one given from the command line), where the booth form used to fail';
  it(passesOverATakenKey, async () => {
    const o = outbox(fresh());
    // The key the next minting would produce, taken first by a record that brought it.
    const next = formatKey(
      { stationId: 'ST01', installId: o.settings.installId(), databaseId: databasePart(o.db.id), runId: runId(1) },
      'update',
      T0,
    );
    const taken = o.queue.enqueue('update', updateRecord({ flow_no: next, parking_serial: 'PS-GIVEN' }));
    expect(taken.key).toBe(next);
    const minted = o.queue.enqueue('update', releases(1, 'FORM')[0]!);
    expect(minted.existing).toBe(false);
    expect(minted.key).not.toBe(next);
    expect(minted.key).toMatch(KEY);
    await o.close();
  });

  it('passes over keys that later records of the same list bring', () => {
    const o = outbox(fresh());
    const next = formatKey(
      { stationId: 'ST01', installId: o.settings.installId(), databaseId: databasePart(o.db.id), runId: runId(1) },
      'update',
      T0,
    );
    const [first, second] = o.queue.enqueueMany('update', [
      releases(1, 'L1')[0]!,
      updateRecord({ flow_no: next, parking_serial: 'PS-L2' }),
    ]);
    expect(second!.key).toBe(next);
    expect(first!.key).not.toBe(next);
    return o.close();
  });

  it('the same content without a key, enqueued again, is recognised by its content, not stored twice', async () => {
    const o = outbox(fresh());
    const list = releases(3, 'SAME');
    const one = o.queue.enqueueMany('update', list);
    const two = o.queue.enqueueMany('update', list);
    expect(two).toEqual(one.map((r) => ({ ...r, existing: true })));
    expect(o.queue.status().counts.waiting).toBe(3);
    await o.close();
  });
});

describe('enqueue from the command line', () => {
  const twoDataFoldersOneSandbox =
    'two data folders with identical default settings, drained to one sandbox: every record arrives under its own key';
  it(twoDataFoldersOneSandbox, async () => {
    const tmp = cliTemp('keys-cli-');
    try {
      const file = tmp.file('releases.jsonl', toJsonLines(releases(5, 'CLI')));
      const keys: string[] = [];
      for (const name of ['booth-a', 'booth-b']) {
        const data = join(tmp.dir, name);
        const r = await runCli(['enqueue', '--endpoint', 'update', '--file', file, '--data-dir', data]);
        expect(r.code).toBe(0);
        keys.push(...jsonLines(r.stdout).map((l) => String(l.key)));
        const t = target();
        const d = await runCli([
          'drain',
          '--data-dir',
          data,
          '--until-empty',
          '--quiet',
          '--base-url',
          t.baseUrl,
          '--park-uuid',
          t.parkUuid,
          '--secret',
          t.appSecret,
        ]);
        expect(d.code).toBe(0);
      }
      expect(new Set(keys).size).toBe(10);
      const arrived = sandbox()
        .state()
        .accepted.update.map((r) => r.key);
      expect(arrived.sort()).toEqual([...keys].sort());
    } finally {
      tmp.remove();
    }
  });

  const jsonlKeyCollision =
    'a JSONL file whose line 2 carries the key line 1 would be minted stores nothing when refused, and once when fixed';
  it(jsonlKeyCollision, async () => {
    const tmp = cliTemp('keys-jsonl-');
    try {
      const data = join(tmp.dir, 'data');
      const line1 = releases(1, 'J1')[0]!;
      // Line 2 is bad: its plate is missing. Nothing of the file may be stored.
      const bad = tmp.file('bad.jsonl', toJsonLines([line1, updateRecord({ flow_no: 'J-2', plate: '' })]));
      const r1 = await runCli(['enqueue', '--endpoint', 'update', '--file', bad, '--data-dir', data]);
      expect(r1.code).toBe(2);
      expect(r1.stderr).toMatch(/第 2 行.*未保存任何记录/);
      const s1 = await runCli(['status', '--data-dir', data]);
      expect(JSON.parse(s1.stdout).counts.waiting).toBe(0);

      const good = tmp.file('good.jsonl', toJsonLines([line1, updateRecord({ flow_no: 'J-2' })]));
      const r2 = await runCli(['enqueue', '--endpoint', 'update', '--file', good, '--data-dir', data]);
      expect(r2.code).toBe(0);
      const r3 = await runCli(['enqueue', '--endpoint', 'update', '--file', good, '--data-dir', data]);
      expect(r3.code).toBe(0);
      expect(jsonLines(r3.stdout).map((l) => l.existing)).toEqual([true, true]);
      expect(jsonLines(r3.stdout).map((l) => l.key)).toEqual(jsonLines(r2.stdout).map((l) => l.key));
      const s2 = await runCli(['status', '--data-dir', data]);
      expect(JSON.parse(s2.stdout).counts.waiting).toBe(2);
    } finally {
      tmp.remove();
    }
  });
});
