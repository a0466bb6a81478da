/**
 * Issue 10 end to end, in Debian's Chromium on the preview host at 1024×768: a GBK CSV and an .xlsx of 2,000 rows
 * with a few bad rows are imported through the 固定车续费 screen; the bad rows are listed by their spreadsheet row;
 * the good rows reach the sandbox in batches; a full upload sends complete=1 exactly once and first; the same file
 * imported again queues nothing new; a single renewal from the form is accepted. Screenshots of each step.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGbk } from '../support/gbk.ts';
import { csvOf, renewalRows, TEMPLATE_HEADERS, xlsxOf } from '../support/vip-sheets.ts';
import { launchChromium, shot, STACK_PIN, type Stack, startStack } from './stack.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
const PARK = '阳光花园停车场';
const by = (id: string) => `[data-testid="${id}"]`;

let stack: Stack;
let browser: Browser;
let page: Page;

const vipCount = () => stack.services.sandbox!.state().accepted.vip.length;
async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const count = async (id: 'total' | 'good' | 'already' | 'bad') =>
  Number(((await page.textContent(by(`vip-count-${id}`))) ?? '').replace(/[^\d]/g, '').replace(/^$/, 'NaN'));

/** Closes the full-upload dialog with its cancel button, and waits until it is gone (its closing animation too). */
async function closeDialog(): Promise<void> {
  await page.locator(by('vip-full-dialog')).waitFor({ state: 'visible' });
  await page.click(by('vip-confirm-cancel'));
  try {
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden', timeout: 5000 });
  } catch {
    // A click taken while the dialog was still opening can be lost on a busy machine: Escape closes it as well.
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
  }
}

/** Picks a file through the page's own 选择文件 button (the browser's file chooser) and waits for the preview. */
async function pick(name: string, bytes: Uint8Array): Promise<void> {
  // Together: a click that fails must not leave the wait for the chooser unanswered.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(by('vip-pick-file'))]);
  await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await page.waitForSelector(by('vip-preview'), { timeout: 60_000 });
}

/** 2,000 rows, three of them bad: rows 6, 501 and 1802 of the sheet (the header is row 1). */
function withBadRows(seed: number) {
  const rows = renewalRows(2000, { seed });
  rows[4]![0] = '粤?88'; // a plate that is no plate
  rows[499]![10] = '2026-11-15'; // ends before it starts
  rows[1800]![11] = '十二元'; // an amount that is no amount
  return rows;
}

describe.skipIf(!HAS_CHROMIUM)('固定车续费 in the browser', () => {
  beforeAll(async () => {
    stack = await startStack();
    stack.services.settings.update({ parkName: PARK, vipBatchSize: 500 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.setDefaultTimeout(15_000);
    await page.goto(stack.host.url);
    await page.waitForSelector(by('status-bar'));
    await page.keyboard.press('Alt+4');
    await page.waitForSelector(by('manager-gate'));
    await page.getByLabel('管理员姓名').fill('李经理');
    await page.getByLabel('管理密码').fill(STACK_PIN);
    await page.keyboard.press('Enter');
    await page.waitForSelector(by('vip-form'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a single renewal from the form is accepted by the platform', async () => {
    await shot(page, 'vip-01-form');
    await page.focus(by('vip-plate'));
    await page.keyboard.type('B12345');
    await page.click('#vip-charge_type');
    await page.keyboard.type('MON_A');
    await page.fill(by('vip-pay-value'), '19.99');
    await page.focus(by('vip-quantity'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${by('vip-saved')}[data-state="accepted"]`);
    await shot(page, 'vip-02-form-saved');
    const row = stack.services.sandbox!.state().accepted.vip[0]!;
    expect(row.row).toMatchObject({ plate: '粤B12345', pay_value: 1999, charge_type: 'MON_A' });
    expect(await page.textContent(by('vip-saved-pay-partner'))).toContain(row.pay_partner);
  });

  const gbkCsv = 'a GBK CSV of 2,000 rows: bad rows by row number, good ones in batches, the same file again: nothing';
  it(gbkCsv, async () => {
    await page.click(by('vip-tab-import'));
    const csv = encodeGbk(csvOf(TEMPLATE_HEADERS, withBadRows(1)));
    await pick('三月续费.csv', csv);
    expect([await count('total'), await count('good'), await count('bad'), await count('already')]).toEqual([
      2000, 1997, 3, 0,
    ]);
    await page.click(by('vip-count-bad'));
    for (const n of [6, 501, 1802]) {
      const row = page.locator(by(`vip-row-${n}`));
      await row.scrollIntoViewIfNeeded();
      await expect.poll(() => row.getAttribute('data-status')).toBe('bad');
    }
    expect(await page.locator(by('vip-row-6')).textContent()).toMatch(/车牌号码/);
    expect(await page.locator(by('vip-row-501')).textContent()).toMatch(/结束/);
    expect(await page.locator(by('vip-row-1802')).textContent()).toMatch(/支付金额/);
    await shot(page, 'vip-04-preview-errors');

    const before = vipCount();
    await page.click(by('vip-commit'));
    await page.waitForSelector(by('vip-result'));
    expect(await page.locator(by('vip-batch')).count()).toBe(4); // 1,997 rows at 500 a batch
    await until(() => vipCount() === before + 1997);
    await shot(page, 'vip-05-result');

    await pick('三月续费.csv', csv);
    expect([await count('good'), await count('already'), await count('bad')]).toEqual([0, 1997, 3]);
    expect(await page.isDisabled(by('vip-commit'))).toBe(true);
    expect(stack.services.queue.list({ endpoint: 'vip-recharge' }).length).toBe(1 + 4);
  });

  it('an .xlsx full upload: refused while rows are bad, then complete=1 sent once and first', async () => {
    const bad = await xlsxOf(TEMPLATE_HEADERS, withBadRows(2));
    await pick('全量.xlsx', bad);
    expect([await count('total'), await count('bad')]).toEqual([2000, 3]);
    await page.click(by('vip-full-upload'));
    await page.waitForSelector(by('vip-full-bad-rows'));
    await closeDialog();

    const good = await xlsxOf(TEMPLATE_HEADERS, renewalRows(2000, { seed: 3 }));
    await pick('全量.xlsx', good);
    expect([await count('good'), await count('bad')]).toEqual([2000, 0]);
    await page.click(by('vip-full-upload'));
    await page.fill(by('vip-confirm-park-name'), '别的停车场');
    expect(await page.isDisabled(by('vip-confirm-ok'))).toBe(true); // and the main process checks it again
    expect(stack.services.sandbox!.state().completes).toBe(0);
    await page.fill(by('vip-confirm-park-name'), PARK);
    await shot(page, 'vip-06-full-confirm');
    await page.click(by('vip-confirm-ok'));
    await page.waitForSelector(by('vip-result'));
    expect(await page.locator(by('vip-batch')).count()).toBe(4);
    expect(await page.locator(by('vip-batch-complete')).count()).toBe(1);
    // complete=1 empties the park's list first: all 2,000 there, and nothing else, means it came first and once.
    await until(() => vipCount() === 2000 && stack.services.queue.status().counts.waiting === 0);
    const state = stack.services.sandbox!.state();
    expect(state.completes).toBe(1);
    expect(state.accepted.vip.every((v) => v.pay_partner.startsWith('ORD-3-'))).toBe(true);
    await shot(page, 'vip-07-full-result');

    await pick('全量.xlsx', good);
    expect(await count('already')).toBe(2000);
  }, 120_000);

  it('20,000 rows: a progress bar while the file is read and checked, then every row in the list', async () => {
    const csv = new TextEncoder().encode(`\uFEFF${csvOf(TEMPLATE_HEADERS, renewalRows(20_000, { seed: 4 }))}`);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(by('vip-pick-file'))]);
    await chooser.setFiles({ name: '两万行.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector(`${by('vip-progress')}:not([data-done="0"])`);
    await shot(page, 'vip-08-progress');
    await page.waitForSelector(by('vip-preview'), { timeout: 90_000 });
    expect([await count('total'), await count('good')]).toEqual([20_000, 20_000]);
    // Virtualised: a few dozen rows in the page, whatever the file's length.
    expect(await page.locator('[data-testid^="vip-row-"]').count()).toBeLessThan(100);
  }, 120_000);
});
