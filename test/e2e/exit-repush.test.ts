/**
 * Issue 11 end to end, in Debian's Chromium on the preview host at 1024×768: an exit with two payments (cash with
 * change, and a coupon paid in full) and an exit photo chosen from disk, typed with the keyboard and the file picker,
 * reaches the sandbox, which checks the photo's hash and the payment list; the serial sent again shows the "already
 * accepted" warning; a leave refused with 400 is opened from the queue, the named field corrected, and accepted
 * under the same parking_serial. Screenshots of the form, the payments editor and the warning.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shot, type Stack, startStack } from './stack.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
const by = (id: string) => `[data-testid="${id}"]`;

let stack: Stack;
let browser: Browser;
let page: Page;
let dir: string;

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A real PNG (a grey car-park barrier photo stand-in), so the thumbnail shows in the screenshots. */
function realPng(width = 160, height = 100): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const stripe = (Math.floor(x / 16) + Math.floor(y / 16)) % 2 === 0;
      raw.set(stripe ? [200, 40, 40] : [240, 240, 240], o);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Focuses a field by its test id and types into it, as a person at the keyboard does. */
async function typeInto(id: string, text: string): Promise<void> {
  const field = page.locator(by(id));
  await field.scrollIntoViewIfNeeded();
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

describe.skipIf(!HAS_CHROMIUM)('离场补推 in the browser', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'exit-e2e-'));
    stack = await startStack();
    await stack.call('startShift', { operator: '王小明' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.setDefaultTimeout(15_000);
    await page.goto(stack.host.url);
    await page.waitForSelector(by('status-bar'));
    await page.keyboard.press('Alt+3');
    await page.waitForSelector(by('exit-screen'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const firstExit = 'cash with change, a coupon and a photo from disk reach the platform: hash and payments checked';
  it(firstExit, async () => {
    await shot(page, 'exit-01-form');
    await typeInto('exit-plate', 'B12345');
    await typeInto('exit-serial', 'PS-E2E-0001');
    await typeInto('exit-car-desc', '临时车');
    await typeInto('exit-charge-type', '标准计费');
    await typeInto('exit-enter-time', '08:30');
    await typeInto('exit-leave-time', '10:45');
    expect(await page.textContent(by('exit-stay'))).toMatch(/2 小时 15 分/);

    await page.click(by('exit-pay-add'));
    await typeInto('exit-pay-0-value', '15');
    await typeInto('exit-pay-0-change', '5');
    await page.click(by('exit-pay-add'));
    await page.click(by('exit-pay-1-type'));
    await page.locator('.ant-select-dropdown:visible').getByTitle('优惠券全额抵扣').click();
    await typeInto('exit-pay-1-value', '5');
    await typeInto('exit-total', '20');
    await typeInto('exit-cash', '15');
    await typeInto('exit-free', '5');
    await page.locator(by('exit-pay-1-value')).scrollIntoViewIfNeeded();
    await shot(page, 'exit-02-payments');

    const photo = join(dir, '出口抓拍.png');
    const bytes = realPng();
    writeFileSync(photo, bytes);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.click(by('exit-image-leave_image-pick')),
    ]);
    await chooser.setFiles(photo);
    await page.waitForSelector(by('exit-image-leave_image-thumb'));
    expect(await page.locator(by('exit-fee-diff')).count()).toBe(0);

    // Enter from the last field (the last payment's collector) saves.
    await page.locator(by('exit-pay-1-operator')).click();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${by('exit-saved')}[data-state="accepted"]`);
    await shot(page, 'exit-03-saved');

    const sent = stack.services.sandbox!.state().accepted.leave.find((r) => r.key === 'PS-E2E-0001')!;
    const md5 = createHash('md5').update(bytes).digest('hex').toUpperCase();
    expect(sent.fields.leave_image_hash?.toUpperCase()).toBe(md5);
    expect(sent.files.map((f) => [f.field, f.md5.toUpperCase(), f.size])).toEqual([
      ['leave_image_file', md5, bytes.length],
    ]);
    const payments = JSON.parse(sent.fields.payment_list!) as Record<string, unknown>[];
    expect(payments).toMatchObject([
      { pay_type: '1', value: 1500, change_value: '500', operator: '王小明' },
      { pay_type: '8', value: 500 },
    ]);
    expect(new Set(payments.map((p) => p.parking_order)).size).toBe(2);
    expect(sent.fields).toMatchObject({
      total_value: '2000',
      cash_value: '1500',
      free_value: '500',
      plate: '粤B12345',
    });
  }, 60_000);

  it('the same serial again: the platform accepted it already, and says so before sending', async () => {
    await typeInto('exit-serial', 'PS-E2E-0001');
    await typeInto('exit-enter-time', '08:00');
    await page.waitForSelector(by('exit-warning-accepted'));
    await page.waitForSelector(by('exit-warning-enter-time'));
    await page.locator(by('exit-warning-accepted')).scrollIntoViewIfNeeded();
    await shot(page, 'exit-04-warning');
    expect(await page.textContent(by('exit-warning-accepted'))).toMatch(/平台已接受/);
  });

  it('a leave refused with 400 is opened from the queue, corrected, and accepted under the same serial', async () => {
    stack.services.sandbox!.setFaults([
      {
        kind: 'error',
        httpStatus: 400,
        code: '400',
        message: '参数错误: leave_time 有误',
        endpoint: 'leave',
        count: 1,
      },
    ]);
    const now = Date.now();
    const r = await stack.call<{ id: number }>('submitExit', {
      parking_serial: 'PS-E2E-400',
      plate: '粤B54321',
      plate_color: '1',
      car_type: '1',
      car_desc: '临时车',
      charge_type: '标准计费',
      enter_time: now - 3 * 3600_000,
      leave_time: now - 600_000,
      total_value: 500,
      cash_value: 500,
      payments: [{ pay_type: '1', value: 500 }],
    });
    expect(r.body.ok).toBe(true);
    const id = (r.body as { value: { id: number } }).value.id;
    await until(() => stack.services.queue.get(id)?.state === 'attention');

    await page.keyboard.press('Alt+6');
    await page.click(by(`queue-repush-${id}`));
    await page.waitForSelector(by('exit-highlight'));
    expect(await page.textContent(by('exit-highlight'))).toMatch(/离场时间|出场时间|leave_time/);
    await page.click(by('exit-leave-now'));
    await page.click(by('exit-save'));
    await page.waitForSelector(`${by('exit-saved')}[data-state="accepted"]`);
    const accepted = stack.services.sandbox!.state().accepted.leave.filter((x) => x.key === 'PS-E2E-400');
    expect(accepted.length).toBe(1);
    expect(stack.services.queue.get(id)!.state).toBe('accepted');
    expect(stack.services.queue.list({ endpoint: 'leave' }).filter((x) => x.key === 'PS-E2E-400').length).toBe(1);
  }, 60_000);
});
