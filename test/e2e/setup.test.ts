/**
 * 首次设置 in Chromium: a console never set up shows only the first-start page (no shift, no release); the installer
 * sets the PIN, their name, the station and the platform with the keyboard, and the booth screens appear.
 */
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shot, startStack, type Stack } from './stack.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
const byTestId = (id: string) => `[data-testid="${id}"]`;

let stack: Stack;
let browser: Browser;
let page: Page;

describe.skipIf(!HAS_CHROMIUM)('first start', () => {
  beforeAll(async () => {
    stack = await startStack({ setUp: false });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(stack.host.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows only the setup page, and the main process refuses a shift before it is done', async () => {
    await page.waitForSelector(byTestId('setup-screen'));
    expect(await page.textContent('body')).toContain('控制台尚未完成首次设置');
    expect(await page.$(byTestId('operator-input'))).toBeNull();
    expect(await page.$('[data-nav]')).toBeNull();
    const shift = await stack.call('startShift', { operator: '张三' });
    expect(shift.body).toMatchObject({ ok: false, error: { code: 'not-set-up' } });
    await shot(page, '20-setup-1024');
    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  });

  it('is done with the keyboard alone, names a refused field, and then the booth screens appear', async () => {
    await page.focus(byTestId('setup-name'));
    await page.keyboard.type('王工');
    await page.keyboard.press('Tab');
    await page.keyboard.type('8642');
    await page.keyboard.press('Tab');
    await page.keyboard.type('8642');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('B 07!');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#setup-stationId[aria-invalid="true"], .ant-form-item-has-error');
    await shot(page, '20b-setup-refused');
    expect(await page.textContent(byTestId('setup-screen'))).toContain('须为 1 到 8 位字母或数字');
    expect(stack.services.settings.get().managerPinSet).toBe(false);

    await page.fill(byTestId('setup-station'), 'B07');
    await page.focus(byTestId('setup-station'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(byTestId('operator-input'));
    expect(stack.services.settings.get()).toMatchObject({ managerPinSet: true, stationId: 'B07', platform: 'sandbox' });
    const session = await stack.call<{ manager: boolean; managerName: string }>('getSession');
    expect(session.body).toMatchObject({ ok: true, value: { manager: true, managerName: '王工' } });
    await shot(page, '21-setup-done');
  });
});
