/**
 * axe-core on every screen (交班, 异常放行, 推送日志, 上传队列, 设置), locked and unlocked as a manager where that
 * changes the screen, with the dialogs a manager opens from them (the push's detail, the record editor, the audit):
 * no serious or critical violation. Each screen is its own test, so that one screen's finding does not hide another's;
 * every finding is printed with its rule and elements.
 */
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, shot, startStack, type Stack } from './stack.ts';

const PIN = '8642';
const MANAGER = '李经理';

let stack: Stack;
let browser: Browser;
let page: Page;

const byTestId = (id: string) => `[data-testid="${id}"]`;

interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const FRAME = ['header.booth-header', 'footer.booth-statusbar'];

/**
 * Serious and critical violations on the page as it is now, after antd's animations settled: the screen without the
 * header and the status bar (scanned once, on their own, as the `frame`), or a dialog alone (the screen under it is
 * scanned on its own), so that each finding names the part it is in.
 */
async function scan(name: string, part: 'screen' | 'frame' | { within: string } = 'screen'): Promise<Finding[]> {
  await page.waitForTimeout(600);
  let builder = new AxeBuilder({ page });
  if (typeof part === 'object') builder = builder.include(part.within);
  else for (const selector of FRAME) builder = part === 'frame' ? builder.include(selector) : builder.exclude(selector);
  const result = await builder.analyze();
  const findings = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map(
        (n) => `${n.target.join(' ')}${n.failureSummary ? ` (${firstLine(n.failureSummary)})` : ''}`,
      ),
    }));
  for (const f of findings)
    console.info(`axe · ${name}: ${f.rule} (${f.impact}) ${f.help}\n  ${f.targets.slice(0, 8).join('\n  ')}`);
  if (findings.length > 0) await shot(page, `axe-${name}`);
  return findings;
}

function firstLine(summary: string): string {
  return summary.split('\n').slice(1, 2).join('').trim().slice(0, 160);
}

const rulesOf = (findings: Finding[]) => findings.map((f) => `${f.rule}: ${f.targets.slice(0, 3).join(' | ')}`);

async function go(key: string, ready: string): Promise<void> {
  await page.keyboard.press(`Alt+${key}`);
  await page.waitForSelector(ready);
}

describe.skipIf(!existsSync('/usr/bin/chromium'))('axe-core on every screen', () => {
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    // axe-core's builder needs a page of a context of its own (browser.newPage's shortcut is refused).
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(stack.host.url);
    await page.waitForSelector(byTestId('status-bar'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the header and the status bar', async () => {
    await page.waitForSelector('header.booth-header');
    expect(rulesOf(await scan('frame', 'frame'))).toEqual([]);
  });

  it('交班, before a shift', async () => {
    await page.waitForSelector('main.booth-content *');
    expect(rulesOf(await scan('shift-none'))).toEqual([]);
  });

  it('交班 and 异常放行, on shift', async () => {
    const started = await stack.call('startShift', { operator: '王小明' });
    expect(started.body.ok).toBe(true);
    // One record refused by the platform, one accepted: the queue, the log and the audit have something to show.
    stack.services.sandbox!.setFaults([
      { kind: 'error', httpStatus: 400, code: '400', message: '参数 parking_serial 格式不正确', count: 1 },
    ]);
    for (const [plate, serial] of [
      ['粤B12345', 'PS-AXE-1'],
      ['粤B67890', 'PS-AXE-2'],
    ] as const) {
      const saved = await stack.call('submitRelease', {
        plate,
        plateColor: '1',
        carType: '1',
        parkingSerial: serial,
        operateTime: Date.now() - 60_000,
        reason: '设备故障',
      });
      expect(saved.body.ok, JSON.stringify(saved.body)).toBe(true);
    }
    await page.keyboard.press('Alt+1');
    await page.waitForTimeout(300);
    const shift = await scan('shift-on');
    await go('2', byTestId('release-form'));
    const release = await scan('release');
    expect({ shift: rulesOf(shift), release: rulesOf(release) }).toEqual({ shift: [], release: [] });
  });

  it('推送日志, and a push in detail', async () => {
    await go('5', byTestId('log-row'));
    const log = await scan('log');
    await page.locator(byTestId('log-row')).first().click();
    await page.waitForSelector(byTestId('log-detail'));
    const detail = await scan('log-detail', { within: '.ant-drawer' });
    await page.keyboard.press('Escape');
    await page.waitForSelector(byTestId('log-detail'), { state: 'detached' });
    expect({ log: rulesOf(log), detail: rulesOf(detail) }).toEqual({ log: [], detail: [] });
  });

  it('上传队列 and 设置, locked', async () => {
    await go('6', '.ant-table');
    const queue = await scan('queue-locked');
    await page.keyboard.press('Alt+7');
    await page.waitForTimeout(300);
    const settings = await scan('settings-locked');
    expect({ queue: rulesOf(queue), settings: rulesOf(settings) }).toEqual({ queue: [], settings: [] });
  });

  it('上传队列 unlocked: the list, the record editor and the audit', async () => {
    // The manager unlocks through the contract (the unlock form itself is scanned on the locked screens).
    const unlocked = await stack.call<{ manager: boolean }>('unlockManager', { pin: PIN, name: MANAGER });
    expect(unlocked.body.ok && unlocked.body.value.manager).toBe(true);
    await go('6', '.ant-table-row');
    await page.waitForSelector(byTestId('pause-queue')); // the page heard of the unlock
    const queue = await scan('queue-unlocked');
    await page.locator('.ant-table-row').getByRole('button', { name: '修改并重传' }).first().click();
    await page.waitForSelector(`.ant-modal ${byTestId('edit-plate_color')}`);
    const editor = await scan('record-editor', { within: '.ant-modal-wrap' });
    await page.getByRole('button', { name: '取消' }).click();
    await page.waitForSelector('.ant-modal', { state: 'detached' }).catch(() => undefined);
    await page.locator('.ant-segmented').getByText('操作记录', { exact: true }).click();
    await page.waitForSelector(byTestId('audit-table'));
    const audit = await scan('audit');
    expect({ queue: rulesOf(queue), editor: rulesOf(editor), audit: rulesOf(audit) }).toEqual({
      queue: [],
      editor: [],
      audit: [],
    });
  });

  it('设置, unlocked; the header and the status bar on shift, unlocked, with records', async () => {
    await go('7', byTestId('settings-form'));
    const settings = await scan('settings-unlocked');
    const frame = await scan('frame-unlocked', 'frame');
    expect({ settings: rulesOf(settings), frame: rulesOf(frame) }).toEqual({ settings: [], frame: [] });
  });
});
