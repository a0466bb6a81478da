/**
 * What a booth's first morning does on the console's page, whatever hosts it (the Electron window, or the preview
 * host in Chromium): 首次设置 on a new data folder, a shift, then an abnormal release typed with the keyboard, and
 * the save confirmed as 已上传 by the embedded sandbox platform.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const byTestId = (id: string) => `[data-testid="${id}"]`;

async function focusedNav(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('[data-nav]')?.getAttribute('data-nav') ?? null);
}

/** The installer's first-start setup: PIN 8642, station ST01, records to the embedded sandbox (the default). */
export async function firstStartSetup(page: Page): Promise<void> {
  await page.waitForSelector(byTestId('setup-screen'));
  await page.fill(byTestId('setup-name'), '王工');
  await page.fill(byTestId('setup-pin'), '8642');
  await page.fill(byTestId('setup-pin-again'), '8642');
  await page.fill(byTestId('setup-station'), 'ST01');
  await page.click(byTestId('setup-submit'));
  await page.waitForSelector(byTestId('operator-input'));
}

/** Starts a shift and records one abnormal release; returns the platform's seqno once the save reads 已上传. */
export async function recordRelease(page: Page, serial: string): Promise<string | null> {
  await page.focus(byTestId('operator-input'));
  await page.keyboard.type('王小明');
  await page.keyboard.press('Enter');
  await page.waitForSelector(byTestId('release-form'));
  await page.keyboard.press('Alt+2');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-nav') === 'plate');
  await page.keyboard.type('B12345');
  // Enter moves field by field (colour, type, description, entry, exit and operate time) to the parking serial.
  for (let i = 0; i < 10 && (await focusedNav(page)) !== 'parkingSerial'; i++) await page.keyboard.press('Enter');
  expect(await focusedNav(page)).toBe('parkingSerial');
  await page.keyboard.type(serial);
  await page.keyboard.press('Enter'); // → reason
  expect(await focusedNav(page)).toBe('reason');
  await page.keyboard.press('Space'); // the first reason of the list
  await page.keyboard.press('Enter'); // → remark, the last field
  await page.keyboard.type('道闸无法抬杆');
  await page.keyboard.press('Enter'); // saves
  await page.waitForSelector(byTestId('save-state'));
  await page.waitForFunction(
    () => document.querySelector('[data-testid="save-state-text"]')?.textContent === '已上传',
    null,
    { timeout: 30_000 },
  );
  return page.getAttribute(byTestId('save-state'), 'data-seqno');
}
