/**
 * The console end to end: the preview host over the real services and the embedded sandbox,
 * driven in Debian's Chromium with the keyboard. One session, in order: every contract reply and
 * event that reaches the page is recorded, and at the end none of them may hold a secret.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../../shared/contract/api.ts';
import { SANDBOX_DEFAULT_SECRET } from '../../electron/sandbox/server.ts';
import { launchChromium, shot, startStack, type Stack } from './stack.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
const WRONG_SECRET = 'Wrong-Secret-e2e-5c1d9a';
const PIN = '8642';

let stack: Stack;
let browser: Browser;
let page: Page;
const serverSeen: unknown[] = [];
const pageErrors: string[] = [];

/** Records, inside the page, the text of every contract reply and every event. */
const WIRE_TAP = `
  window.__wire = [];
  const realFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const res = await realFetch(...args);
    res.clone().text().then((t) => window.__wire.push(t));
    return res;
  };
  const RealES = window.EventSource;
  window.EventSource = class extends RealES {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('message', (m) => window.__wire.push(m.data));
    }
  };
`;

const byTestId = (id: string) => `[data-testid="${id}"]`;

async function focusedNav(): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('[data-nav]')?.getAttribute('data-nav') ?? null);
}

interface Car {
  plate: string;
  serial: string;
  enter?: string;
  leave?: string;
  operate?: string;
  remark: string;
}

/**
 * The whole form with the keyboard alone: Enter from field to field, Space to pick a reason, Enter on the last field
 * saves.
 */
async function enterRelease(car: Car): Promise<void> {
  await page.keyboard.press('Alt+2');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-nav') === 'plate');
  await page.keyboard.type(car.plate);
  await page.keyboard.press('Enter'); // → plate colour (follows the plate)
  expect(await focusedNav()).toBe('plateColor');
  await page.keyboard.press('Enter'); // → car type
  await page.keyboard.press('Enter'); // → description
  await page.keyboard.type('白色轿车');
  await page.keyboard.press('Enter'); // → entry time
  if (car.enter) await page.keyboard.type(car.enter);
  await page.keyboard.press('Enter'); // → exit time
  if (car.leave) await page.keyboard.type(car.leave);
  await page.keyboard.press('Enter'); // → operate time (now, unless typed)
  expect(await focusedNav()).toBe('operateTime');
  if (car.operate) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(car.operate);
  }
  await page.keyboard.press('Enter'); // → parking serial (just before the reason)
  expect(await focusedNav()).toBe('parkingSerial');
  await page.keyboard.type(car.serial);
  await page.keyboard.press('Enter'); // → reason
  expect(await focusedNav()).toBe('reason');
  await page.keyboard.press('Space'); // the first reason of the list
  await page.keyboard.press('Enter'); // → remark, the last field
  expect(await focusedNav()).toBe('remark');
  await page.keyboard.type(car.remark);
  await page.keyboard.press('Enter'); // saves
}

async function savedState(): Promise<string> {
  return (await page.textContent(byTestId('save-state-text'))) ?? '';
}

describe.skipIf(!HAS_CHROMIUM)('booth console in Chromium', () => {
  beforeAll(async () => {
    stack = await startStack();
    // The server side of the wire too: every reply of the contract and every event it sends.
    const call = stack.console.call.bind(stack.console);
    stack.console.call = async (method, input) => {
      const reply = await call(method, input);
      serverSeen.push(reply);
      return reply;
    };
    stack.console.subscribe((e: ConsoleEvent) => serverSeen.push(e));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(8000);
    await page.addInitScript(WIRE_TAP);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('Failed to load resource')) pageErrors.push(m.text());
    });
    await page.goto(stack.host.url);
  }, 60_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await shot(page, `failed-${ctx.task.name.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('starts a shift with the keyboard', async () => {
    await page.waitForSelector(byTestId('operator-input'));
    await shot(page, '01-shift');
    await page.keyboard.type('王小明');
    await page.keyboard.press('Enter');
    await page.waitForSelector(byTestId('release-form'));
    expect(await page.textContent(byTestId('release-operator'))).toBe('王小明');
    expect(await page.isVisible(byTestId('sandbox-badge'))).toBe(true);
    // The token is kept out of the address bar once read.
    expect(page.url()).not.toContain('token=');
  });

  it('refuses a bad form field by field in Chinese, and enqueues nothing', async () => {
    await page.keyboard.type('B12');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector(byTestId('error-plate'));
    expect(await page.textContent(byTestId('error-plate'))).toContain('车牌号码长度不对');
    expect(await page.textContent(byTestId('error-parkingSerial'))).toBe('请输入停车流水号');
    expect(await page.textContent(byTestId('error-reason'))).toBe('请选择或填写放行原因');
    expect(await page.textContent(byTestId('form-error'))).toContain('记录未保存');
    await shot(page, '02-release-refused');
    expect(stack.services.queue.list({})).toHaveLength(0);
    expect(stack.services.sandbox!.state().received).toBe(0);
    // And the same refusal from the main process when the page's check is bypassed.
    const direct = await stack.call('submitRelease', {
      plate: '粤B12',
      parkingSerial: '',
      operateTime: Date.now(),
      reason: '设备异常',
    });
    expect(direct.body.ok).toBe(false);
    if (!direct.body.ok)
      expect(direct.body.error.issues?.map((i) => i.field).sort()).toEqual(['parkingSerial', 'plate']);
    expect(stack.services.queue.list({})).toHaveLength(0);
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+2');
  });

  const keyboardOnlyRelease =
    'saves an abnormal release typed with the keyboard alone; the sandbox holds it with the UTC operate_time';
  it(keyboardOnlyRelease, async () => {
    await enterRelease({
      plate: 'B12345',
      serial: 'PS-E2E-0001',
      enter: '2025-03-01 07:10',
      leave: '2025-03-01 08:29',
      operate: '2025-03-01 08:30:00',
      remark: '道闸无法抬杆',
    });
    await page.waitForSelector(byTestId('save-state'));
    expect(['已保存', '已上传']).toContain(await savedState());
    // The form is clear for the next car, focus back on the plate.
    expect(await page.inputValue(byTestId('plate-input'))).toBe('');
    expect(await focusedNav()).toBe('plate');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-state-text"]')?.textContent === '已上传',
      null,
      { timeout: 10_000 },
    );
    const stored = stack.services.sandbox!.state().accepted.update;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.fields).toMatchObject({
      plate: '粤B12345',
      parking_serial: 'PS-E2E-0001',
      operate_time: '2025-03-01T00:30:00Z',
      enter_time: '2025-02-28T23:10:00Z',
      leave_time: '2025-03-01T00:29:00Z',
      operator: '王小明',
      reason: '设备异常: 道闸无法抬杆',
      plate_color: '1',
      car_desc: '白色轿车',
    });
    // The seqno is for support (the log's detail), not shown to the guard: the confirmation carries it unseen.
    expect(await page.getAttribute(byTestId('save-state'), 'data-seqno')).toBe(stored[0]!.seqno);
    await shot(page, '03-release-uploaded');
  });

  it('shows the attempt in the live log as accepted, with the seqno to copy', async () => {
    const seqno = stack.services.sandbox!.state().accepted.update[0]!.seqno;
    await page.keyboard.press('Alt+5');
    await page.waitForSelector(`${byTestId('log-row')}[data-outcome="accepted"]`);
    await shot(page, '04-log');
    await page.click(`${byTestId('log-row')}[data-outcome="accepted"]`);
    await page.waitForSelector(byTestId('log-detail'));
    await page.waitForTimeout(400); // the drawer slides in
    expect(await page.textContent(byTestId('detail-seqno'))).toBe(seqno);
    const plain = (await page.textContent(byTestId('detail-plain'))) ?? '';
    expect(plain).toContain('operate_time=2025-03-01T00:30:00Z');
    expect(plain).toContain('app_secret=***');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.host.origin });
    await page.click(byTestId('copy-seqno'));
    await page.waitForSelector('text=seqno 已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(seqno);
    await shot(page, '05-log-detail');
    await page.keyboard.press('Escape');
  });

  it('shows the retries while the sandbox fails, then the success', async () => {
    stack.services.sandbox!.setFaults([{ kind: 'error', httpStatus: 503, count: 2, endpoint: 'update' }]);
    await enterRelease({ plate: '粤BD12345', serial: 'PS-E2E-0002', remark: '平台故障重试' });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-state-text"]')?.textContent === '已上传',
      null,
      { timeout: 15_000 },
    );
    await page.keyboard.press('Alt+5');
    const rows = `${byTestId('log-row')}`;
    await page.waitForFunction(
      (sel) =>
        [...document.querySelectorAll(sel)].some(
          (e) => e.textContent?.includes('粤BD12345') && e.getAttribute('data-outcome') === 'accepted',
        ),
      rows,
    );
    // Newest first: success, then the two retries of this car, then the first car.
    const outcomes = await page.$$eval(rows, (els) =>
      els.map((e) => [e.getAttribute('data-outcome'), e.textContent ?? ''] as const),
    );
    const mine = outcomes.filter(([, text]) => text.includes('粤BD12345')).map(([o]) => o);
    expect(mine).toEqual(['accepted', 'retry', 'retry']);
    expect(stack.services.sandbox!.state().accepted.update.map((u) => u.fields.plate)).toEqual([
      '粤B12345',
      '粤BD12345',
    ]);
    // Filter by outcome: only the retries.
    await page.click(byTestId('filter-outcome'));
    await page.click('.ant-select-item-option[title="待重试"]');
    await page.waitForFunction(
      (sel) => [...document.querySelectorAll(sel)].every((e) => e.getAttribute('data-outcome') === 'retry'),
      rows,
    );
    expect(await page.$$eval(rows, (els) => els.length)).toBe(2);
    await shot(page, '06-log-retries');
    // Export of the filtered rows: CSV with a BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('export-csv'))]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const csv = Buffer.concat(chunks);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(download.suggestedFilename()).toMatch(/^推送日志-.*\.csv$/);
    const lines = csv.toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('待重试');
  });

  it('pauses with a banner on a wrong secret, loses nothing, and sends once the secret is right', async () => {
    // A manager unlocks (the PIN was set by the installer's first-start setup) and enters a wrong secret in settings.
    await page.keyboard.press('Alt+1');
    await page.fill(byTestId('manager-name'), '李经理');
    await page.fill(byTestId('pin-input'), PIN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=管理功能已解锁');
    await page.keyboard.press('Alt+7');
    await page.waitForSelector(byTestId('settings-form'));
    expect(await page.textContent(byTestId('secret-state'))).toBe('(未设置)');
    await page.fill(byTestId('settings-secret'), WRONG_SECRET);
    // The preview host has no system encryption: the manager confirms the key file before the secret is sent.
    await page.click(byTestId('settings-keyfile-consent'));
    await page.click(byTestId('save-settings'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="secret-state"]')?.textContent === '(已设置)',
    );
    expect(await page.inputValue(byTestId('settings-secret'))).toBe('');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '07-settings');

    await enterRelease({ plate: '粤A88888', serial: 'PS-E2E-0003', remark: '密钥错误测试' });
    await page.waitForSelector(byTestId('paused-banner'), { timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(await page.textContent(byTestId('paused-banner'))).toContain('平台拒绝了密钥或签名');
    expect(await page.textContent(byTestId('paused-banner'))).toContain('不会丢失');
    await page.keyboard.press('Alt+6');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="count-waiting"]')?.textContent?.includes('1'),
    );
    await shot(page, '08-queue-paused');
    expect(stack.services.queue.list({ states: ['waiting'] }).map((r) => r.key)).toHaveLength(1);
    // The log shows the refusal with its signature diagnosis.
    await page.keyboard.press('Alt+5');
    await page.click(byTestId('filter-outcome'));
    await page.click('.ant-select-item-option[title="认证失败"]');
    await page.click(`${byTestId('log-row')}[data-outcome="auth"]`);
    await page.waitForSelector(byTestId('signature-diagnosis'));
    await page.waitForTimeout(400); // the drawer slides in
    await shot(page, '09-log-signature-diagnosis');
    await page.keyboard.press('Escape');

    // The right secret: the pause lifts by itself and the record goes.
    await page.keyboard.press('Alt+7');
    await page.fill(byTestId('settings-secret'), SANDBOX_DEFAULT_SECRET);
    await page.click(byTestId('settings-keyfile-consent'));
    await page.click(byTestId('save-settings'));
    await page.waitForSelector(byTestId('paused-banner'), { state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Alt+2');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-state-text"]')?.textContent === '已上传',
      null,
      { timeout: 10_000 },
    );
    expect(stack.services.sandbox!.state().accepted.update.map((u) => u.fields.plate)).toEqual([
      '粤B12345',
      '粤BD12345',
      '粤A88888',
    ]);
    expect(stack.services.queue.status().counts).toMatchObject({ waiting: 0, attention: 0, accepted: 3 });
  });

  const refusedRecordOnTheQueue =
    "puts a refused record on the queue with the platform's words; edit and resubmit, or cancel (manager)";
  it(refusedRecordOnTheQueue, async () => {
    stack.services.sandbox!.setFaults([
      {
        kind: 'error',
        httpStatus: 400,
        code: '400',
        message: '参数 parking_serial 格式不正确',
        count: 2,
        endpoint: 'update',
      },
    ]);
    await enterRelease({ plate: '粤C11111', serial: 'BAD-1', remark: '退回后修改' });
    await enterRelease({ plate: '粤C22222', serial: 'BAD-2', remark: '退回后作废' });
    await page.keyboard.press('Alt+6');
    const row = (plate: string) => page.locator('.ant-table-row', { hasText: plate });
    await row('粤C22222').waitFor();
    await row('粤C11111').waitFor();
    expect(await row('粤C11111').textContent()).toContain('参数 parking_serial 格式不正确');
    await shot(page, '10-queue-attention');

    await row('粤C11111').getByRole('button', { name: '修改并重传' }).click();
    await page.fill(byTestId('edit-parking_serial'), 'PS-FIXED-1');
    expect(await page.isDisabled(byTestId('edit-flow_no'))).toBe(true);
    await page.waitForTimeout(400); // the dialog zooms in
    await shot(page, '11-record-editor');
    await page.getByRole('button', { name: '保存并重新上传' }).click();
    await row('粤C11111').waitFor({ state: 'detached' });

    await row('粤C22222').getByRole('button', { name: '作废' }).click();
    await page.fill(byTestId('cancel-reason'), '重复录入');
    await page.locator('.ant-modal-footer').getByRole('button', { name: '作废' }).click();
    await row('粤C22222').waitFor({ state: 'detached' });

    const sandbox = () => stack.services.sandbox!.state().accepted.update;
    for (let i = 0; i < 100 && !sandbox().some((u) => u.fields.plate === '粤C11111'); i++)
      await page.waitForTimeout(50);
    expect(sandbox().find((u) => u.fields.plate === '粤C11111')?.fields.parking_serial).toBe('PS-FIXED-1');
    expect(sandbox().some((u) => u.fields.plate === '粤C22222')).toBe(false);
    const audit = stack.services.queue.audit();
    expect(audit.filter((a) => a.action === 'edit').map((a) => a.actor)).toEqual(['王小明']);
    expect(audit.filter((a) => a.action === 'cancel').map((a) => [a.actor, a.reason])).toEqual([
      ['李经理 (管理员)', '重复录入'],
    ]);

    // The same trail on screen: who did what to which record, why, and what an edit changed.
    await page.locator('.ant-segmented').getByText('操作记录', { exact: true }).click();
    const auditRow = (text: string) => page.locator('[data-testid="audit-table"] .ant-table-row', { hasText: text });
    await auditRow('重复录入').waitFor();
    expect(await auditRow('重复录入').textContent()).toMatch(/作废#\d+李经理 \(管理员\)重复录入/);
    expect(await auditRow('修改并重传').textContent()).toContain('parking_serial: BAD-1 → PS-FIXED-1');
    await page.waitForTimeout(400); // the segmented control's thumb slides over
    await shot(page, '11b-queue-audit');
    await page.locator('.ant-segmented').getByText('需处理', { exact: true }).click();
  });

  it('keeps manager actions from a booth worker, in the page and in the main process', async () => {
    await page.click('text=锁定管理');
    await page.keyboard.press('Alt+7');
    await page.waitForSelector(byTestId('manager-gate'));
    expect(await page.isVisible(byTestId('settings-form'))).toBe(false);
    await shot(page, '12-settings-locked');
    await page.keyboard.press('Alt+6');
    expect(await page.isVisible(byTestId('pause-queue'))).toBe(false);
    await shot(page, '13-queue-locked');

    const id = stack.services.queue.list({})[0]!.id;
    for (const [method, input] of [
      ['updateSettings', { appSecret: 'x'.repeat(12) }],
      ['pauseQueue', { reason: '我想暂停' }],
      ['resumeQueue', {}],
      ['cancelRecord', { id, reason: '不想要了' }],
    ] as const) {
      const r = await stack.call(method, input);
      expect(r.status).toBe(200);
      expect(r.body.ok, method).toBe(false);
      if (!r.body.ok) expect(r.body.error.code).toBe('manager-required');
    }
    expect((await stack.call('unlockManager', { pin: '0000' })).body).toMatchObject({
      ok: false,
      error: { code: 'wrong-pin' },
    });
    // Without the run's token, or from another origin, nothing at all.
    expect((await stack.call('getSession', {}, null)).status).toBe(401);
    expect((await stack.call('getSession', {}, 'guess')).status).toBe(401);
    const foreign = await fetch(`${stack.host.origin}/api/getSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-booth-token': stack.host.token, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(stack.services.queue.status().paused).toBeNull();
    expect(stack.services.settings.get().secretSet).toBe(true);
  });

  it('never let a secret reach the page: every reply and event of the session is clean', async () => {
    const wire = await page.evaluate(() => (window as unknown as { __wire: string[] }).__wire);
    expect(wire.length).toBeGreaterThan(30);
    expect(wire.some((t) => t.includes('"type":"log"'))).toBe(true);
    const all = [wire.join('\n'), JSON.stringify(serverSeen)].join('\n');
    for (const secret of [WRONG_SECRET, SANDBOX_DEFAULT_SECRET, 'x'.repeat(12)]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/app_secret=(?!\*\*\*)/);
    expect([...new Set(pageErrors)]).toEqual([]);
  });
});
