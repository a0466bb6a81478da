/**
 * Issue 12 in Chromium at 1024×768 (the preview host): 设置 says the secret goes to the key file and refuses to send it
 * until the manager ticks the box; 开机自动启动 says it works only in the desktop program; 运行日志 says where the
 * folder is and downloads the export (no secret in it); the status bar shows the host's newest notice with its time
 * until dismissed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_OUT } from '../../electron/preview/build.ts';
import { startPreviewHost, type PreviewHost } from '../../electron/preview/server.ts';
import { exportPath } from '../../electron/services/exports.ts';
import { attachLogFile, type LogFile } from '../../electron/services/log-file.ts';
import { logError } from '../../electron/services/logger.ts';
import type { HostNotice } from '../../shared/contract/host.ts';
import { formatLocal } from '../../shared/records/time.ts';
import { launchChromium, shot, STACK_PIN, startStack, type Stack } from './stack.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
const byTestId = (id: string) => `[data-testid="${id}"]`;
const SECRET = 'E2E-Keyfile-Secret-4411';

let stack: Stack;
let host: PreviewHost;
let log: LogFile;
let browser: Browser;
let page: Page;

describe.skipIf(!HAS_CHROMIUM)('settings and host notices at 1024×768', () => {
  beforeAll(async () => {
    stack = await startStack();
    log = attachLogFile(stack.services.dataDir);
    // A host of its own on the same console, with the exports and the log folder the preview program gives it.
    host = await startPreviewHost({
      console: stack.console,
      staticDir: RENDERER_OUT,
      files: stack.files,
      exportPath: (handle) => exportPath(stack.services.dataDir, handle),
      logFolder: log.folder,
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(host.url);
    await page.waitForSelector(byTestId('status-bar'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    log?.close();
    await stack?.close();
  });

  it('asks before keeping a secret in the key file, and sends it only once the box is ticked', async () => {
    await page.keyboard.press('Alt+1');
    await page.fill(byTestId('manager-name'), '李经理');
    await page.fill(byTestId('pin-input'), STACK_PIN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=管理功能已解锁');
    await page.keyboard.press('Alt+7');
    await page.waitForSelector(byTestId('settings-form'));
    expect(await page.getAttribute(byTestId('secret-storage'), 'data-storage')).toBe('keyfile');
    const notice = await page.textContent(byTestId('settings-keyfile-consent-notice'));
    expect(notice).toContain('本机系统不提供密钥加密, 密钥将加密保存在数据目录的密钥文件中');
    // The box appears with the typed secret, right after it in the Tab order.
    expect(await page.$(byTestId('settings-keyfile-consent'))).toBeNull();
    await page.fill(byTestId('settings-secret'), SECRET);
    await page.click(byTestId('save-settings'));
    await page.waitForSelector(byTestId('settings-error-appSecret'));
    expect(await page.textContent(byTestId('settings-error-appSecret'))).toContain('请先勾选确认');
    expect(stack.services.settings.get().secretSet).toBe(false);
    await page.locator(byTestId('settings-keyfile-consent')).scrollIntoViewIfNeeded();
    await shot(page, '40-settings-keyfile-consent');

    // From the keyboard: past the secret's show-password eye to the box, ticked with Space.
    await page.focus(byTestId('settings-secret'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'settings-keyfile-consent',
    );
    await page.keyboard.press('Space');
    expect(await page.isChecked(byTestId('settings-keyfile-consent'))).toBe(true);
    await page.click(byTestId('save-settings'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="secret-state"]')?.textContent === '(已设置)',
    );
    expect(stack.services.settings.get().secretSet).toBe(true);
    expect(await page.$(byTestId('settings-keyfile-consent'))).toBeNull();
  });

  it('says start at login works only in the desktop program, and keeps it', async () => {
    const item = page.locator('.ant-form-item', { has: page.locator(byTestId('settings-start-at-login')) });
    expect(await item.textContent()).toContain('只在桌面程序中有效');
    await page.click(byTestId('settings-start-at-login'));
    await page.click(byTestId('save-settings'));
    await page.waitForFunction(() => document.body.textContent?.includes('设置已保存'));
    expect(stack.services.settings.get().startAtLogin).toBe(true);
  });

  it('says where the log folder is, and exports the run log as a download with no secret in it', async () => {
    logError('e2e.platform', new Error(`平台回显 ${SECRET}`));
    await page.locator(byTestId('open-log-folder')).scrollIntoViewIfNeeded();
    await page.click(byTestId('open-log-folder'));
    await page.waitForFunction(() => document.querySelector('[data-testid="support-logs-result"]')?.textContent);
    expect(await page.textContent(byTestId('support-logs-result'))).toContain(log.folder);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('export-support-logs'))]);
    expect(download.suggestedFilename()).toMatch(/^岗亭控制台日志-\d{8}-\d{6}\.txt$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain(`数据目录: ${stack.services.dataDir}`);
    expect(text).toContain('===== console.log =====');
    expect(text).toContain('平台回显 ***');
    expect(text).not.toContain(SECRET);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="support-logs-result"]')?.textContent?.includes('岗亭控制台日志-'),
    );
    // The buttons are enabled again, not hovered, their colours' transition over (axe would read a colour half way).
    await page.waitForSelector(`${byTestId('export-support-logs')}:not([disabled])`);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await shot(page, '41-settings-support-logs');
    const axe = await new AxeBuilder({ page }).include(byTestId('settings-form')).analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  });

  it('shows the host notice with its time in the status bar until dismissed', async () => {
    const at = Date.now() - 60_000;
    const notices: HostNotice[] = [
      { id: 1, at: at - 3600_000, kind: 'renderer-reloaded', message: '页面意外停止, 已重新载入' },
      { id: 2, at, kind: 'backend-restarted', message: '后台服务意外停止, 已自动重启; 没有记录丢失' },
    ];
    // The in-process console has no host to speak of: the host's answer is stood in for at the page's request.
    await page.route('**/api/hostNotices', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: notices }) }),
    );
    await page.reload();
    await page.waitForSelector(byTestId('host-notice'));
    expect(await page.getAttribute(byTestId('host-notice'), 'data-kind')).toBe('backend-restarted');
    expect(await page.textContent(byTestId('host-notice-message'))).toBe('后台服务意外停止, 已自动重启; 没有记录丢失');
    expect(await page.textContent(byTestId('host-notice-time'))).toContain(
      formatLocal(at, stack.services.settings.get().timeZone).slice(5, 16),
    );
    // Inside the window at 1024×768, above the bar's own items.
    const box = (await page.locator(byTestId('host-notice')).boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    expect(box.width).toBeLessThanOrEqual(1024);
    await shot(page, '42-status-bar-host-notice');

    await page.focus(byTestId('host-notice-dismiss'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(byTestId('host-notice'), { state: 'detached' });
    // A reloaded page asks again: the dismissed notice does not come back; a newer one does.
    await page.reload();
    await page.waitForSelector(byTestId('status-bar'));
    await page.waitForTimeout(300);
    expect(await page.$(byTestId('host-notice'))).toBeNull();
    notices.push({ id: 3, at: Date.now(), kind: 'backend-failed', message: '后台服务无法启动: 请重新启动控制台' });
    await page.reload();
    await page.waitForSelector(byTestId('host-notice'));
    expect(await page.getAttribute(byTestId('host-notice'), 'data-kind')).toBe('backend-failed');
    await page.unroute('**/api/hostNotices');
  });
});

describe.skipIf(!HAS_CHROMIUM)('the first-start page with a vendor platform', () => {
  let first: Stack;
  let firstBrowser: Browser;
  afterAll(async () => {
    await firstBrowser?.close();
    await first?.close();
  });

  it('says the secret goes to the key file and sends it only once the box is ticked', async () => {
    first = await startStack({ setUp: false });
    firstBrowser = await launchChromium();
    const p = await (await firstBrowser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    p.setDefaultTimeout(8000);
    await p.goto(first.host.url);
    await p.waitForSelector(byTestId('setup-screen'));
    await p.fill(byTestId('setup-name'), '王工');
    await p.fill(byTestId('setup-pin'), '8642');
    await p.fill(byTestId('setup-pin-again'), '8642');
    await p.click(`${byTestId('setup-platform')} >> text=厂商联调环境`);
    await p.fill(byTestId('setup-park'), 'PARK-E2E');
    expect(await p.textContent(byTestId('setup-keyfile-consent-notice'))).toContain('本机系统不提供密钥加密');
    await p.fill(byTestId('setup-secret'), SECRET);
    await p.click(byTestId('setup-submit'));
    await p.waitForSelector('text=请先勾选确认');
    expect(first.services.settings.get()).toMatchObject({ managerPinSet: false, secretSet: false });
    await p.locator(byTestId('setup-keyfile-consent')).scrollIntoViewIfNeeded();
    await shot(p, '43-setup-keyfile-consent');
    await p.check(byTestId('setup-keyfile-consent'));
    await p.click(byTestId('setup-submit'));
    await p.waitForSelector(byTestId('operator-input'));
    expect(first.services.settings.get()).toMatchObject({
      managerPinSet: true,
      platform: 'integration',
      parkUuid: 'PARK-E2E',
      secretSet: true,
    });
  }, 60_000);
});
