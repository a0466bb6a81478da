/**
 * Issue 11, 离场补推 in the main process: submitExit builds the leave record (instants, fen, payments with minted order
 * numbers, photos copied into the data folder before the commit), names every problem by the form's field, asks before
 * saving fee totals that differ from the payments, re-pushes a record under its own key; exitWarnings, imagePreview,
 * imagesFolder; and a photo whose original was deleted still reaches the platform with its hash.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExitFormInput, ExitWarnings, ImagePreview, SubmitExitResult } from '../../shared/contract/exit.ts';
import { imagesDir } from '../../electron/images/store.ts';
import { createFileRegistry, type FileRegistry } from '../../electron/services/file-registry.ts';
import { jpeg, md5Upper, png } from '../images/images.ts';
import { type Harness, openHarness, until } from './helpers.ts';

const ENTER = 1_764_000_000_123;
const LEAVE = ENTER + 2 * 3600 * 1000;

/** Two payments: cash 15 元 (20 given, 5 back) and a coupon of 10 元 paid in full (pay_type 8). */
function form(over: Partial<ExitFormInput> = {}): ExitFormInput {
  return {
    parking_serial: `PS-${Math.random().toString(36).slice(2, 10)}`,
    plate: '粤B12345',
    plate_color: '1',
    car_type: '1',
    car_desc: '临停',
    charge_type: '1',
    enter_time: ENTER,
    leave_time: LEAVE,
    total_value: 2500,
    cash_value: 1500,
    free_value: 1000,
    payments: [
      { pay_type: '1', value: 1500, change_value: 500, pay_time: LEAVE },
      { pay_type: '8', value: 1000, pay_time: LEAVE },
    ],
    ...over,
  };
}

let h: Harness;
let files: FileRegistry;
let tmp: string;
beforeEach(async () => {
  files = createFileRegistry();
  h = await openHarness({ files });
  tmp = mkdtempSync(join(tmpdir(), 'exit-photos-'));
});
afterEach(async () => {
  await h.close();
  rmSync(tmp, { recursive: true, force: true });
});

const shift = () => h.ok('startShift', { operator: '张三' });
/** Holds the worker: records stay waiting. */
const hold = () => h.services.queue.pause('测试', '暂停发送');
const stored = (id: number) => h.services.queue.get(id)!;

async function picked(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return (await files.addPath(path)).handle;
}

describe('submitExit builds the leave record', () => {
  it('needs a shift', async () => {
    expect((await h.refused('submitExit', form())).code).toBe('shift-required');
  });

  it('instants as epoch-ms text, fen as text, payment_list with the shift operator and minted orders', async () => {
    await shift();
    hold();
    const f = form({ leave_gate: '西门出口', images: { enter_image: { url: 'https://files.example.cn/in.jpg' } } });
    const r = await h.ok<SubmitExitResult>('submitExit', f);
    expect(r).toMatchObject({ parkingSerial: f.parking_serial, existing: false });
    expect(r.images).toEqual({ enter_image: { url: 'https://files.example.cn/in.jpg' } });
    const rec = stored(r.id).record;
    expect(rec).toMatchObject({
      parking_serial: f.parking_serial,
      enter_time: String(ENTER),
      leave_time: String(LEAVE),
      total_value: '2500',
      cash_value: '1500',
      free_value: '1000',
      leave_gate: '西门出口',
      enter_image: 'https://files.example.cn/in.jpg',
    });
    const payments = rec.payment_list as Record<string, unknown>[];
    expect(payments).toHaveLength(2);
    expect(payments[0]).toMatchObject({ pay_type: '1', value: 1500, change_value: 500, operator: '张三' });
    expect(payments[1]).toMatchObject({
      pay_type: '8',
      value: 1000,
      operator: '张三',
      pay_origin_desc: '优惠券全额抵扣',
    });
    const orders = payments.map((p) => String(p.parking_order));
    for (const o of orders) {
      expect(o).toMatch(/^PO\d{17}[A-Z0-9]{6}$/);
      expect(o.length).toBeLessThanOrEqual(64);
    }
    expect(new Set(orders).size).toBe(2);
    expect(stored(r.id).createdBy).toBe('张三');
  });

  it('a picked photo is copied to <dataDir>/images/<MD5>.jpg, whole on disk before the record commits', async () => {
    await shift();
    hold();
    const bytes = jpeg(200_000);
    const handle = await picked('出口.jpg', bytes);
    // When the record's commit is announced, its photo must already be complete under its final name.
    const seen: string[] = [];
    h.services.queue.subscribe((e) => {
      if (e.type !== 'record') return;
      const path = e.record.record.leave_image_file;
      if (typeof path === 'string') seen.push(existsSync(path) ? md5Upper(readFileSync(path)) : 'missing');
    });
    const r = await h.ok<SubmitExitResult>('submitExit', form({ images: { leave_image: { file: handle } } }));
    const path = stored(r.id).record.leave_image_file as string;
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(join(imagesDir(h.services.dataDir), `${md5Upper(bytes)}.jpg`));
    expect(seen).toEqual([md5Upper(bytes)]);
    expect(r.images.leave_image).toEqual({ name: '出口.jpg', size: bytes.length, md5: md5Upper(bytes) });
    // The preview host's upload (bytes) gives the same copy.
    const fromBytes = files.addBytes('出口.jpg', bytes).handle;
    const again = await h.ok<SubmitExitResult>(
      'submitExit',
      form({ images: { leave_plate_image: { file: fromBytes } } }),
    );
    expect(stored(again.id).record.leave_plate_image_file).toBe(path);
    expect(readdirSync(imagesDir(h.services.dataDir))).toEqual([`${md5Upper(bytes)}.jpg`]);
  });

  it('every problem is named by the form field, in Chinese (record rules, payments, photos)', async () => {
    await shift();
    hold();
    const bmp = await picked('photo.jpg', Buffer.concat([Buffer.from('BM'), Buffer.alloc(100)]));
    const e = await h.refused(
      'submitExit',
      form({
        enter_time: 5,
        plate_color: '9',
        payments: [
          { pay_type: '1', value: 100, parking_order: 'A1' },
          { pay_type: '1', value: 200, parking_order: 'A1' },
          { pay_type: '6', value: 300 },
        ],
        confirmFees: true,
        images: { leave_image: { file: bmp } },
      }),
    );
    expect(e.code).toBe('invalid');
    const by = Object.fromEntries(e.issues!.map((i) => [i.field, i.message]));
    expect(by.enter_time).toMatch(/毫秒时间戳/);
    expect(by.plate_color).toMatch(/须为以下之一/);
    expect(by['payments[1].parking_order']).toMatch(/车场订单号必须唯一/);
    expect(by['payments[2].pay_type']).toMatch(/须为以下之一/);
    expect(by['images.leave_image']).toMatch(/^离场图片: 不是 JPEG 或 PNG 图片/);
    expect(e.issues!.every((i) => !i.field.startsWith('payment_list') && !i.field.endsWith('_file'))).toBe(true);
    // The form's own types too (the contract's schema): payments[1].value.
    const typed = await h.refused(
      'submitExit',
      form({
        payments: [
          { pay_type: '1', value: 1 },
          { pay_type: '1', value: -5 },
        ],
      }),
    );
    expect(typed.issues!.map((i) => i.field)).toContain('payments[1].value');
    const order = await h.refused('submitExit', form({ leave_time: ENTER - 1000 }));
    expect(order.issues).toEqual([{ field: 'leave_time', message: '离场时间不能早于入场时间' }]);
    expect(h.services.queue.status().counts.waiting).toBe(0);
  });

  it('a photo over 10 MB is refused naming its slot', async () => {
    await shift();
    const big = await picked('big.jpg', jpeg(10 * 1024 * 1024 + 1));
    const e = await h.refused('submitExit', form({ images: { enter_image: { file: big } } }));
    expect(e.issues).toEqual([{ field: 'images.enter_image', message: expect.stringMatching(/^入场图片: 图片过大/) }]);
  });
});

describe('fee totals against the payments', () => {
  it('differing totals are refused (conflict, per field) unless confirmed; confirmed, saved as typed', async () => {
    await shift();
    hold();
    const f = form({ cash_value: 2000, total_value: 3000 });
    const e = await h.refused('submitExit', f);
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('现金总额填的是 20.00 元, 按付款明细应为 15.00 元');
    expect(e.issues!.map((i) => i.field).sort()).toEqual(['cash_value', 'total_value']);
    expect(h.services.queue.status().counts.waiting).toBe(0);
    const r = await h.ok<SubmitExitResult>('submitExit', { ...f, confirmFees: true });
    expect(stored(r.id).record).toMatchObject({ cash_value: '2000', total_value: '3000' });
    // Totals that agree need no confirmation.
    expect((await h.ok<SubmitExitResult>('submitExit', form())).existing).toBe(false);
  });
});

describe('the same exit again, and re-pushing', () => {
  it('the same exit again is existing; the same serial with other content is refused (parking_serial)', async () => {
    await shift();
    hold();
    const photo = await picked('a.jpg', jpeg());
    const f = form({ images: { leave_image: { file: photo } } });
    const first = await h.ok<SubmitExitResult>('submitExit', f);
    const again = await h.ok<SubmitExitResult>('submitExit', f);
    expect(again).toMatchObject({ id: first.id, existing: true });
    const e = await h.refused('submitExit', { ...f, plate: '粤B54321' });
    expect(e.code).toBe('conflict');
    expect(e.issues).toEqual([{ field: 'parking_serial', message: expect.stringMatching(/已保存过.*重新推送/) }]);
  });

  it('resubmitOf: same key required; a waiting record is edited and sent again (audited, same id)', async () => {
    await shift();
    hold();
    const f = form();
    const first = await h.ok<SubmitExitResult>('submitExit', f);
    const orders = (stored(first.id).record.payment_list as { parking_order: string }[]).map((p) => p.parking_order);

    const moved = await h.refused('submitExit', { ...f, parking_serial: 'OTHER-1', resubmitOf: first.id });
    expect(moved.issues).toEqual([
      { field: 'parking_serial', message: expect.stringContaining('同一离场的流水号不能改') },
    ]);

    const bad = await h.refused('submitExit', { ...f, plate_color: '9', resubmitOf: first.id });
    expect(bad.issues!.map((i) => i.field)).toEqual(['plate_color']);

    const r = await h.ok<SubmitExitResult>('submitExit', { ...f, leave_gate: '东门出口', resubmitOf: first.id });
    expect(r).toMatchObject({ id: first.id, parkingSerial: f.parking_serial, existing: false });
    const after = stored(first.id);
    expect(after.record.leave_gate).toBe('东门出口');
    // The payments are the same payments: their order numbers stay (the platform would count new ones again).
    expect((after.record.payment_list as { parking_order: string }[]).map((p) => p.parking_order)).toEqual(orders);
    expect(h.services.queue.audit(first.id)).toEqual([
      expect.objectContaining({ action: 'edit', actor: '张三', recordId: first.id }),
    ]);
  });

  it('resubmitOf an accepted record is refused: the platform already has it', async () => {
    await shift();
    const r = await h.ok<SubmitExitResult>('submitExit', form());
    await until(() => stored(r.id).state === 'accepted');
    const e = await h.refused('submitExit', { ...form(), parking_serial: r.parkingSerial, resubmitOf: r.id });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/平台已受理过.*重复推送/);
  });

  it('resubmitOf a cancelled record is refused, saying it was cancelled (not a dead end)', async () => {
    await shift();
    hold();
    const r = await h.ok<SubmitExitResult>('submitExit', form());
    h.services.queue.cancel(r.id, '李经理 (管理员)', '重复录入');
    const e = await h.refused('submitExit', { ...form(), parking_serial: r.parkingSerial, resubmitOf: r.id });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/已由管理员作废.*重复录入/);
  });

  it('a photo address must be a web address (a local path goes through 选择图片)', async () => {
    await shift();
    const e = await h.refused('submitExit', form({ images: { leave_image: { url: 'C:\\照片\\a.jpg' } } }));
    expect(e.issues).toEqual([{ field: 'images.leave_image.url', message: expect.stringContaining('http') }]);
  });
});

describe('exitWarnings', () => {
  it('acceptedBefore with the seqno from the push log; not about the record being re-pushed', async () => {
    await shift();
    const f = form();
    const r = await h.ok<SubmitExitResult>('submitExit', f);
    await until(() => stored(r.id).state === 'accepted');
    const w = await h.ok<ExitWarnings>('exitWarnings', { parking_serial: f.parking_serial, enter_time: ENTER });
    const seqno = h.services.sandbox!.state().accepted.leave[0]!.seqno;
    expect(w).toEqual({
      acceptedBefore: { recordId: r.id, at: stored(r.id).acceptedAt, seqno },
      enterTimeDiffers: null,
    });
    expect(
      await h.ok<ExitWarnings>('exitWarnings', {
        parking_serial: f.parking_serial,
        enter_time: ENTER + 1,
        resubmitOf: r.id,
      }),
    ).toEqual({ acceptedBefore: null, enterTimeDiffers: null });
    expect(await h.ok<ExitWarnings>('exitWarnings', { parking_serial: 'NEVER-SEEN' })).toEqual({
      acceptedBefore: null,
      enterTimeDiffers: null,
    });
  });

  it('enterTimeDiffers: a leave or an abnormal release queued for the serial with another entry time', async () => {
    await shift();
    hold();
    const f = form();
    const r = await h.ok<SubmitExitResult>('submitExit', f);
    const differs = await h.ok<ExitWarnings>('exitWarnings', {
      parking_serial: f.parking_serial,
      enter_time: ENTER + 60_000,
    });
    expect(differs.enterTimeDiffers).toEqual({ recordId: r.id, enterTime: ENTER });
    expect(
      (await h.ok<ExitWarnings>('exitWarnings', { parking_serial: f.parking_serial, enter_time: ENTER }))
        .enterTimeDiffers,
    ).toBeNull();

    // An abnormal release of another serial names it in parking_serial, its enter_time a UTC text (to the second).
    const release = await h.ok<{ id: number }>('submitRelease', {
      parkingSerial: 'REL-SERIAL-1',
      plate: '粤B12345',
      operateTime: LEAVE,
      reason: '道闸故障',
      enterTime: ENTER - 123,
    });
    const at = (enter_time: number) =>
      h.ok<ExitWarnings>('exitWarnings', { parking_serial: 'REL-SERIAL-1', enter_time });
    // Stored to the second: the same second is the same entry.
    expect((await at(ENTER - 123)).enterTimeDiffers).toBeNull();
    expect((await at(ENTER + 3_600_000)).enterTimeDiffers).toEqual({
      recordId: release.id,
      enterTime: Math.floor((ENTER - 123) / 1000) * 1000,
    });
  });
});

describe('imagePreview and imagesFolder', () => {
  it('a small PNG as a data: URL; above 2 MB no thumbnail; not an image refused', async () => {
    const small = png(5000);
    const p = await h.ok<ImagePreview>('imagePreview', { file: await picked('小图.png', small) });
    expect(p).toEqual({ name: '小图.png', size: 5000, dataUrl: `data:image/png;base64,${small.toString('base64')}` });
    const big = await h.ok<ImagePreview>('imagePreview', { file: await picked('大图.jpg', jpeg(3 * 1024 * 1024)) });
    expect(big).toEqual({ name: '大图.jpg', size: 3 * 1024 * 1024, dataUrl: null });
    const text = await h.refused('imagePreview', { file: await picked('a.txt', Buffer.from('hello world')) });
    expect(text).toMatchObject({ code: 'invalid', message: expect.stringContaining('不是 JPEG 或 PNG') });
  });

  it('imagesFolder: the path, how many photos and their bytes', async () => {
    await shift();
    hold();
    const dir = imagesDir(h.services.dataDir);
    expect(await h.ok('imagesFolder')).toEqual({ path: dir, files: 0, bytes: 0 });
    await h.ok('submitExit', form({ images: { leave_image: { file: await picked('a.jpg', jpeg(1234)) } } }));
    await h.ok('submitExit', form({ images: { enter_image: { file: await picked('b.png', png(4321)) } } }));
    expect(await h.ok('imagesFolder')).toEqual({ path: dir, files: 2, bytes: 1234 + 4321 });
  });
});

describe('the original deleted after saving', () => {
  it('the worker still sends the copy: the platform gets the file with its MD5, and the payment list', async () => {
    await shift();
    hold();
    const bytes = jpeg(150_000, 7);
    const original = join(tmp, '离场.jpg');
    writeFileSync(original, bytes);
    const handle = (await files.addPath(original)).handle;
    const f = form({ images: { leave_image: { file: handle } } });
    const r = await h.ok<SubmitExitResult>('submitExit', f);
    unlinkSync(original);
    h.services.queue.resume('测试');

    await until(() => stored(r.id).state === 'accepted');
    const got = h.services.sandbox!.state().accepted.leave[0]!;
    expect(got.key).toBe(f.parking_serial);
    expect(got.files).toEqual([
      { field: 'leave_image_file', filename: `${md5Upper(bytes)}.jpg`, size: bytes.length, md5: md5Upper(bytes) },
    ]);
    expect(got.fields.leave_image_hash).toBe(md5Upper(bytes));
    const sent = JSON.parse(got.fields.payment_list!) as Record<string, unknown>[];
    expect(sent).toEqual([
      expect.objectContaining({ pay_type: '1', value: 1500, change_value: '500', operator: '张三' }),
      expect.objectContaining({ pay_type: '8', value: 1000, operator: '张三' }),
    ]);
    expect(got.fields).toMatchObject({ cash_value: '1500', free_value: '1000', total_value: '2500' });
  });
});
