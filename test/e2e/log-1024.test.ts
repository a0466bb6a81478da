/**
 * The manager's screens on a 1024×768 booth PC whose own clock is set to another zone than the car park's: the push
 * log's one-click ranges (今天, 昨天, 本班) follow the car park's day, its header scrolls sideways with the rows and no
 * column is cut; the record editor shows labels and the car park's wall clock, and saves in the record's own format.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/queue/db.ts';
import { formatLocal, formatUtc, parseLocal } from '../../shared/records/time.ts';
import { launchChromium, shot, startStack, type Stack } from './stack.ts';

const PARK_ZONE = 'Asia/Shanghai';
/** The PC's own zone: 16 hours from the car park's, so that a day computed on the PC's clock is another day. */
const PC_ZONE = 'America/Los_Angeles';
const DAY = 24 * 60 * 60 * 1000;

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const byTestId = (id: string) => `[data-testid="${id}"]`;

/** Midnight starting today in the car park, computed here without the code under test. */
function parkMidnight(now: number): number {
  return parseLocal(formatLocal(now, PARK_ZONE).slice(0, 10), PARK_ZONE)!;
}

function seedLog(dataDir: string, rows: { at: number; plate: string }[]): void {
  const db = new DatabaseSync(join(dataDir, DB_FILE));
  const insert = db.prepare(
    `INSERT INTO push_log (at, endpoint, record_id, record_key, plate, attempt, fields, files, plain_masked, base_url,
       http_status, code, message, hint, seqno, latency_ms, outcome, error, diagnosis)
     VALUES (?, 'update', ?, ?, ?, 1, '{}', '[]', '', 'http://127.0.0.1:1', 200, '1001', 'OK', NULL, ?, 1234, ?, NULL,
       NULL)`,
  );
  rows.forEach((r, i) => {
    // Keys as long as a minted key can be (38 characters): the widest a key column must show.
    const key = `ST01-F-20261126-083015123-K7Q2M4X${String(i).padStart(2, '0')}-XY`.slice(0, 38);
    insert.run(r.at, 1000 + i, key, r.plate, `seq${(0xabcdef00 + i).toString(16)}`, i % 2 ? 'retry' : 'accepted');
  });
  db.close();
}

async function plates(): Promise<string[]> {
  await page.waitForTimeout(150);
  return page.$$eval('[data-testid="log-row"]', (rows) =>
    rows.map((r) => r.children[2]?.textContent ?? '').sort((a, b) => a.localeCompare(b)),
  );
}

async function waitPlates(expected: string[]): Promise<void> {
  const want = [...expected].sort((a, b) => a.localeCompare(b));
  for (let i = 0; i < 40; i++) {
    if (JSON.stringify(await plates()) === JSON.stringify(want)) return;
  }
  expect(await plates()).toEqual(want);
}

describe.skipIf(!existsSync('/usr/bin/chromium'))('the manager at 1024×768, the PC in another zone', () => {
  let shiftStart = 0;
  let midnight = 0;

  beforeAll(async () => {
    stack = await startStack();
    expect(stack.services.settings.get().timeZone).toBe(PARK_ZONE);
    const started = await stack.call<{ shiftStartedAt: number }>('startShift', { operator: '李四' });
    expect(started.body.ok).toBe(true);
    shiftStart = started.body.ok ? started.body.value.shiftStartedAt : 0;
    midnight = parkMidnight(Date.now());
    seedLog(stack.services.dataDir, [
      { at: midnight, plate: '粤A00001' }, // today 00:00:00 in the car park (yesterday 08:00 on the PC)
      { at: midnight - 1000, plate: '粤A00002' }, // yesterday 23:59:59
      { at: midnight - DAY, plate: '粤A00003' }, // yesterday 00:00:00
      { at: midnight - DAY - 1000, plate: '粤A00004' }, // the day before, 23:59:59
      { at: shiftStart + 1, plate: '粤A00005' }, // in this shift
    ]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, timezoneId: PC_ZONE });
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(stack.host.url);
    await page.waitForSelector(byTestId('status-bar'));
    // The PC's clock really is in another zone.
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(PC_ZONE);
  }, 60_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shot(page, `failed-1024-${ctx.task.name.slice(0, 30)}`);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('offers 今天, 昨天 and 本班 as one-click ranges, in the car park’s day', async () => {
    await page.keyboard.press('Alt+5');
    await page.waitForSelector(byTestId('log-row'));
    await waitPlates(['粤A00001', '粤A00002', '粤A00003', '粤A00004', '粤A00005']);

    await page.click(byTestId('range-today'));
    // 粤A00005 is in the shift, started now: also today (unless midnight passed in between, not worth a flake).
    const todayExpected = ['粤A00001', ...(parkMidnight(shiftStart) === midnight ? ['粤A00005'] : [])];
    await waitPlates(todayExpected);
    expect(await page.getAttribute(byTestId('range-today'), 'aria-pressed')).toBe('true');
    // The range shows in the picker as the car park's wall clock.
    const today = formatLocal(midnight, PARK_ZONE).slice(0, 10);
    const inputs = page.locator(`${byTestId('filter-range')} input`);
    expect(await inputs.nth(0).inputValue()).toBe(`${today} 00:00:00`);
    expect(await inputs.nth(1).inputValue()).toBe(`${today} 23:59:59`);

    await page.click(byTestId('range-yesterday'));
    await waitPlates(['粤A00002', '粤A00003']);
    await shot(page, '1024-log-yesterday');

    await page.click(byTestId('range-shift'));
    await waitPlates(['粤A00005']);
    expect(await page.getAttribute(byTestId('range-shift'), 'aria-pressed')).toBe('true');
  });

  it('scrolls the header with the rows sideways, and cuts no column', async () => {
    await page.click(byTestId('range-yesterday'));
    await waitPlates(['粤A00002', '粤A00003']);
    // No page-wide sideways scroll: the table scrolls in its own box, which fits the window.
    const page1 = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(page1.scrollWidth).toBeLessThanOrEqual(page1.width);
    // The list ends above the fixed status bar: no row hides under it.
    const bottoms = await page.evaluate(() => ({
      list: document.querySelector('[data-testid="log-scroll"]')!.getBoundingClientRect().bottom,
      bar: document.querySelector('[data-testid="status-bar"]')!.getBoundingClientRect().top,
    }));
    expect(bottoms.list).toBeLessThanOrEqual(bottoms.bar);

    const measure = () =>
      page.evaluate(() => {
        const box = document.querySelector<HTMLElement>('[data-testid="log-scroll"]')!;
        const head = box.querySelector<HTMLElement>('[data-testid="log-head"]');
        const row = box.querySelector<HTMLElement>('[data-testid="log-row"]')!;
        const rect = (el: Element) => {
          const r = el.getBoundingClientRect();
          return { left: Math.round(r.left), right: Math.round(r.right) };
        };
        const cut = (el: HTMLElement) => el.scrollWidth > el.clientWidth + 1;
        const bounds = box.getBoundingClientRect();
        return {
          headInBox: head !== null,
          heads: head
            ? [...head.children].map((c) => ({ text: c.textContent, ...rect(c), cut: cut(c as HTMLElement) }))
            : [],
          cells: [...row.children].map((c) => ({ text: c.textContent, ...rect(c), cut: cut(c as HTMLElement) })),
          box: { left: Math.round(bounds.left), right: Math.round(box.clientWidth + bounds.left) },
          scrollLeft: box.scrollLeft,
          maxScrollLeft: box.scrollWidth - box.clientWidth,
        };
      });

    const before = await measure();
    expect(before.headInBox).toBe(true);
    expect(before.box.right).toBeLessThanOrEqual(1024);
    expect(before.heads).toHaveLength(before.cells.length);
    for (const [i, h] of before.heads.entries()) {
      expect(h.cut, `header ${h.text}`).toBe(false);
      expect(before.cells[i]!.cut, `cell ${before.cells[i]!.text}`).toBe(false);
      expect(Math.abs(h.left - before.cells[i]!.left), `column ${h.text}`).toBeLessThanOrEqual(1);
    }

    // Scrolled fully to the right: the header moved with the rows, and the last column is whole in the box.
    await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('[data-testid="log-scroll"]')!;
      box.scrollLeft = box.scrollWidth;
    });
    await page.waitForTimeout(100);
    const after = await measure();
    expect(after.maxScrollLeft).toBeGreaterThan(0);
    expect(after.scrollLeft).toBe(after.maxScrollLeft);
    for (const [i, h] of after.heads.entries()) {
      expect(Math.abs(h.left - after.cells[i]!.left), `column ${h.text} after scrolling`).toBeLessThanOrEqual(1);
      expect(h.left).toBe(before.heads[i]!.left - after.scrollLeft);
    }
    const last = after.heads[after.heads.length - 1]!;
    expect(last.right).toBeLessThanOrEqual(after.box.right);
    expect(last.left).toBeGreaterThanOrEqual(after.box.left);
    await shot(page, '1024-log-scrolled');
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('[data-testid="log-scroll"]')!.scrollLeft = 0;
    });

    // At 1366 px every column fits without scrolling sideways.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(200);
    const wide = await measure();
    expect(wide.maxScrollLeft).toBe(0);
    expect(wide.heads.every((h) => !h.cut) && wide.cells.every((c) => !c.cut)).toBe(true);
    await shot(page, '1366-log');
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  it('says where the exported file went', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('export-csv'))]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^推送日志-\d{8}-\d{6}\.csv$/);
    // The file the backend wrote, streamed by the host: Excel's BOM, the Chinese headings, every row.
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF日志号,')).toBe(true);
    const note = page.locator('.ant-message-notice', { hasText: '已导出' });
    await note.waitFor();
    const text = (await note.textContent()) ?? '';
    expect(text).toContain(name);
    expect(text).toContain('浏览器的下载文件夹');
    // Once sent, the export is gone from the data folder.
    await expect.poll(() => readdirSync(join(stack.services.dataDir, 'exports')).length).toBe(0);
  });

  it('edits a refused record with labels and the car park’s wall clock, and saves in the record’s format', async () => {
    stack.services.sandbox!.setFaults([
      { kind: 'error', httpStatus: 400, code: '400', message: '参数 car_desc 不正确', count: 1, endpoint: 'update' },
      { kind: 'error', httpStatus: 400, code: '400', message: '参数 car_desc 不正确', count: 1, endpoint: 'leave' },
    ]);
    const enter = midnight - DAY + 8 * 3600_000; // yesterday 08:00:00 in the car park
    const update = stack.services.queue.enqueue('update', {
      parking_serial: 'PS-EDIT-1',
      plate: '粤B12345',
      plate_color: '1',
      car_type: '1',
      car_desc: '白色轿车',
      enter_time: formatUtc(enter),
      operate_time: formatUtc(enter + 3600_000),
      operator: '李四',
      reason: '设备故障',
    });
    const leave = stack.services.queue.enqueue('leave', {
      parking_serial: 'PS-EDIT-2',
      plate: '粤B54321',
      plate_color: '2',
      car_type: '1',
      car_desc: '黑色货车',
      charge_type: '临停',
      enter_time: enter,
      leave_time: enter + 3600_000,
    });
    const state = (id: number) => stack.services.queue.get(id)?.state;
    for (let i = 0; i < 100 && (state(update.id) !== 'attention' || state(leave.id) !== 'attention'); i++)
      await page.waitForTimeout(50);
    expect([state(update.id), state(leave.id)]).toEqual(['attention', 'attention']);

    await page.keyboard.press('Alt+6');
    const row = (plate: string) => page.locator('.ant-table-row', { hasText: plate });
    await row('粤B12345').waitFor();
    await row('粤B12345').getByRole('button', { name: '修改并重传' }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator(byTestId('edit-enter_time')).waitFor();
    await page.waitForTimeout(400); // the dialog zooms in
    await shot(page, '1024-record-editor');
    // Labels, not codes; the car park's wall clock, not UTC text.
    expect(await dialog.locator(`${byTestId('edit-plate_color')}`).textContent()).toContain('蓝色');
    expect(await dialog.locator(`${byTestId('edit-car_type')}`).textContent()).toContain('临停车辆');
    expect(await page.inputValue(byTestId('edit-enter_time'))).toBe(formatLocal(enter, PARK_ZONE));
    expect(await page.inputValue(byTestId('edit-operate_time'))).toBe(formatLocal(enter + 3600_000, PARK_ZONE));
    const dialogText = (await dialog.textContent()) ?? '';
    expect(dialogText).not.toContain('(UTC)');
    expect(dialogText).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);

    // Pick 黄色 by its label and type a new operate time as the car park's clock.
    const colour = () => dialog.locator(byTestId('edit-plate_color')).textContent();
    // A click on an option while the list still fades in may be lost: open and pick again until it shows.
    for (let i = 0; i < 5 && !(await colour())?.includes('黄色'); i++) {
      await dialog.locator(byTestId('edit-plate_color')).click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '黄色' });
      await option.waitFor();
      await page.waitForTimeout(200);
      await option.click();
      await page.waitForTimeout(200);
    }
    expect(await colour()).toContain('黄色');
    const day = formatLocal(enter, PARK_ZONE).slice(0, 10);
    await page.fill(byTestId('edit-operate_time'), `${day} 09:30:15`);
    await page.fill(byTestId('edit-car_desc'), '白色轿车 (已核对)');
    await page.getByRole('button', { name: '保存并重新上传' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const updated = stack.services.queue.get(update.id)!.record;
    expect(updated.plate_color).toBe('2');
    expect(updated.operate_time).toBe(formatUtc(parseLocal(`${day} 09:30:15`, PARK_ZONE)!));
    // A time not touched is not rewritten.
    expect(updated.enter_time).toBe(formatUtc(enter));
    expect(updated.car_desc).toBe('白色轿车 (已核对)');

    // The exit record keeps epoch milliseconds.
    await row('粤B54321').waitFor();
    await row('粤B54321').getByRole('button', { name: '修改并重传' }).click();
    await dialog.locator(byTestId('edit-leave_time')).waitFor();
    expect(await dialog.locator(byTestId('edit-plate_color')).textContent()).toContain('黄色');
    expect(await page.inputValue(byTestId('edit-leave_time'))).toBe(formatLocal(enter + 3600_000, PARK_ZONE));
    await page.fill(byTestId('edit-leave_time'), `${day} 10:00`);
    await page.getByRole('button', { name: '保存并重新上传' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const left = stack.services.queue.get(leave.id)!.record;
    expect(Number(left.leave_time)).toBe(parseLocal(`${day} 10:00`, PARK_ZONE));
    expect(String(left.leave_time)).toMatch(/^\d{13}$/);
    expect(String(left.enter_time)).toBe(String(enter));
  });
});
