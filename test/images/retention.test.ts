/**
 * A copied photo lives as long as a record refers to it: the sweep deletes the others (older than an hour), after the
 * queue's retention removed their records, at start and daily. A file a record refers to, or a young one, is kept.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageKey, imagesFolderInfo, sweepImages } from '../../electron/images/retention.ts';
import { copyImage, imagesDir } from '../../electron/images/store.ts';
import { openDb } from '../../electron/queue/db.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { leaveRecord } from '../fixtures/records.ts';
import { jpeg, md5Upper, png } from './images.ts';

const HOUR = 3600 * 1000;
let dir: string;
let data: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'images-retention-'));
  data = join(dir, 'data');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Makes a file look `ms` old. */
function age(path: string, ms: number): void {
  const t = new Date(Date.now() - ms);
  utimesSync(path, t, t);
}

function put(name: string, bytes: Uint8Array, oldMs: number): string {
  const path = join(imagesDir(data), name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  age(path, oldMs);
  return path;
}

describe('sweepImages', () => {
  it('deletes old files no record refers to; keeps referenced and young ones; removes crash leftovers', () => {
    const kept = put(`${md5Upper(jpeg())}.jpg`, jpeg(), 5 * HOUR);
    const orphan = put(`${md5Upper(png())}.png`, png(), 2 * HOUR);
    const young = put(`${md5Upper(jpeg(10))}.jpg`, jpeg(10), 30 * 60 * 1000);
    const temp = put('.tmp-0123456789abcdef', jpeg(20), 2 * HOUR);
    const cliMd5 = md5Upper(Buffer.from('x'));
    const cliKept = put(`${cliMd5}/exit.jpg`, Buffer.from('x'), 2 * HOUR);
    const cliOrphan = put(`${'A'.repeat(32)}/old.jpg`, Buffer.from('y'), 2 * HOUR);
    age(join(cliOrphan, '..'), 2 * HOUR);

    // A record's path elsewhere (a moved data folder, another case) still protects its copy.
    const referenced = new Set([
      imageKey(`D:\\old\\data\\images\\${md5Upper(jpeg()).toLowerCase()}.JPG`),
      imageKey(cliKept),
    ]);
    const result = sweepImages(data, referenced);
    expect(result).toEqual({ deleted: 3, bytes: png().length + jpeg(20).length + 1 });
    expect([kept, young, cliKept].every(existsSync)).toBe(true);
    expect([orphan, temp, cliOrphan].some(existsSync)).toBe(false);
    expect(existsSync(join(cliOrphan, '..'))).toBe(false);
    expect(imagesFolderInfo(data)).toEqual({
      path: imagesDir(data),
      files: 3,
      bytes: jpeg().length + jpeg(10).length + 1,
    });
  });

  it('no images folder yet: nothing to do', () => {
    expect(sweepImages(data, new Set())).toEqual({ deleted: 0, bytes: 0 });
    expect(imagesFolderInfo(data)).toEqual({ path: imagesDir(data), files: 0, bytes: 0 });
  });
});

describe('retention in the running console', () => {
  it('at start, after the queue prunes: a photo goes only when the record that used it is gone', async () => {
    const open = () => openConsoleServices({ dataDir: data, embeddedSandbox: false });
    let s = await open();
    const copy = await copyImage(
      data,
      { name: 'exit.jpg', bytes: jpeg() },
      { imagesOnly: true, nameFor: (m, k) => `${m}.${k}` },
    );
    const { id } = s.queue.enqueue('leave', leaveRecord({ leave_image_file: copy.path }));
    const orphan = put(`${md5Upper(png())}.png`, png(), 2 * HOUR);
    await s.close();
    age(copy.path, 48 * HOUR);

    // Opened again: the orphan goes, the photo of the waiting record stays however old.
    s = await open();
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(copy.path)).toBe(true);
    await s.close();

    // The record was accepted long ago and its log aged out: start's prune removes it, then its photo.
    const db = openDb(data);
    db.sql.prepare(`UPDATE records SET state = 'accepted', updated_at = 0 WHERE id = ?`).run(id);
    db.close();
    s = await open();
    expect(s.queue.get(id)).toBeNull();
    expect(existsSync(copy.path)).toBe(false);
    await s.close();
  });

  it('the daily sweep (services.sweepImages) keeps a photo a record still refers to', async () => {
    const s = await openConsoleServices({ dataDir: data, embeddedSandbox: false, startWorker: false });
    try {
      const copy = await copyImage(
        data,
        { name: 'exit.jpg', bytes: jpeg() },
        { imagesOnly: true, nameFor: (m, k) => `${m}.${k}` },
      );
      s.queue.enqueue('leave', leaveRecord({ enter_image_file: copy.path }));
      expect(s.sweepImages(Date.now() + 48 * HOUR)).toEqual({ deleted: 0, bytes: 0 });
      expect(existsSync(copy.path)).toBe(true);
    } finally {
      await s.close();
    }
  });
});
