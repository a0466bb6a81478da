/**
 * `enqueue --endpoint leave`: each `*_file` (relative to the records file) is copied into the data folder's images at
 * enqueue and the stored record points at the copy; the original deleted afterwards, `drain` still sends the photo
 * with its hash and its own name. The same file again stores nothing new; a hash that does not match is refused.
 */
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imagesDir } from '../../electron/images/store.ts';
import { openDb } from '../../electron/queue/db.ts';
import { leaveRecord } from '../fixtures/records.ts';
import { jpeg, md5Upper } from '../images/images.ts';
import { jsonLines, runDrainTo, runEnqueue, tempDir, toJsonLines } from '../queue/cli-helpers.ts';
import { useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();

let tmp: ReturnType<typeof tempDir>;
let data: string;
beforeEach(() => {
  tmp = tempDir('enqueue-leave-images-');
  data = join(tmp.dir, 'data');
});
afterEach(() => tmp.remove());

const drain = () => runDrainTo(data, target());

function storedRecords(): Record<string, unknown>[] {
  const db = openDb(data);
  try {
    return (
      db.sql.prepare(`SELECT payload FROM records WHERE endpoint = 'leave' ORDER BY id`).all() as { payload: string }[]
    ).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

describe('enqueue --endpoint leave copies the images', () => {
  it('relative paths: the stored records point at the copies; originals deleted, drain sends them', async () => {
    mkdirSync(join(tmp.dir, 'in', 'img'), { recursive: true });
    const exit = jpeg(120_000, 3);
    const entry = jpeg(80_000, 4);
    writeFileSync(join(tmp.dir, 'in', 'img', 'exit.jpg'), exit);
    writeFileSync(join(tmp.dir, 'in', 'img', 'entry.jpg'), entry);
    const records = [
      leaveRecord({ parking_serial: 'CLI-IMG-1', leave_image_file: 'img/exit.jpg' }),
      leaveRecord({
        parking_serial: 'CLI-IMG-2',
        leave_image_file: 'img/exit.jpg',
        enter_image_file: 'img/entry.jpg',
        enter_image_hash: md5Upper(entry).toLowerCase(),
      }),
    ];
    const file = join(tmp.dir, 'in', 'leaves.jsonl');
    writeFileSync(file, toJsonLines(records));

    const r = await runEnqueue('leave', file, data);
    expect(r.code, r.stderr).toBe(0);
    const stored = storedRecords();
    const exitCopy = join(imagesDir(data), md5Upper(exit), 'exit.jpg');
    expect(stored.map((s) => s.leave_image_file)).toEqual([exitCopy, exitCopy]);
    expect(stored[1]!.enter_image_file).toBe(join(imagesDir(data), md5Upper(entry), 'entry.jpg'));

    // The same file again: nothing new (the copies have the same names).
    const again = await runEnqueue('leave', file, data);
    expect(jsonLines(again.stdout).map((l) => l.existing)).toEqual([true, true]);

    unlinkSync(join(tmp.dir, 'in', 'img', 'exit.jpg'));
    unlinkSync(join(tmp.dir, 'in', 'img', 'entry.jpg'));
    const d = await drain();
    expect(d.code, d.stderr).toBe(0);
    const accepted = sandbox()
      .state()
      .accepted.leave.sort((a, b) => a.key.localeCompare(b.key));
    expect(accepted.map((a) => a.key)).toEqual(['CLI-IMG-1', 'CLI-IMG-2']);
    expect(accepted[0]!.files).toEqual([
      { field: 'leave_image_file', filename: 'exit.jpg', size: exit.length, md5: md5Upper(exit) },
    ]);
    expect(accepted[1]!.files.map((f) => [f.field, f.filename, f.md5]).sort()).toEqual([
      ['enter_image_file', 'entry.jpg', md5Upper(entry)],
      ['leave_image_file', 'exit.jpg', md5Upper(exit)],
    ]);
    expect(accepted[1]!.fields.leave_image_hash).toBe(md5Upper(exit));
  });

  it('a record whose parking_serial is to be minted has its photo copied too', async () => {
    mkdirSync(join(tmp.dir, 'in'), { recursive: true });
    const exit = jpeg(50_000, 5);
    writeFileSync(join(tmp.dir, 'in', 'p.jpg'), exit);
    const { parking_serial: _s, ...record } = leaveRecord({ leave_image_file: 'p.jpg' });
    const file = join(tmp.dir, 'in', 'one.json');
    writeFileSync(file, JSON.stringify(record));
    const r = await runEnqueue('leave', file, data);
    expect(r.code, r.stderr).toBe(0);
    expect(storedRecords()[0]!.leave_image_file).toBe(join(imagesDir(data), md5Upper(exit), 'p.jpg'));
  });

  it('a *_hash that is not the file MD5 is refused, naming the line and field; nothing stored', async () => {
    tmp.file('exit.jpg', jpeg());
    const file = tmp.file(
      'one.json',
      JSON.stringify(leaveRecord({ leave_image_file: 'exit.jpg', leave_image_hash: 'A'.repeat(32) })),
    );
    const r = await runEnqueue('leave', file, data);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/leave_image_hash: 与文件不一致 \(文件的 MD5 为 [0-9A-F]{32}\); 未保存任何记录/);
    expect(storedRecords()).toEqual([]);
  });
});
