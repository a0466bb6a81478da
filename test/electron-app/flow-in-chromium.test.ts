/**
 * The steps of the desktop program's test (flow.ts) on the same page served by the preview host in Debian's
 * Chromium: where no Electron binary can be had, this keeps those steps in step with the screens, so the Windows CI's
 * launch of the packaged app fails only for what is Electron's own.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, type Stack } from '../e2e/stack.ts';
import { firstStartSetup, recordRelease } from './flow.ts';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');

let stack: Stack | undefined;
let browser: Browser | undefined;

describe.skipIf(!HAS_CHROMIUM)('the desktop test steps on the preview host', () => {
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('set up, start a shift and record a release that the sandbox accepts', async () => {
    stack = await startStack({ setUp: false });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(stack.host.url);
    await firstStartSetup(page);
    const seqno = await recordRelease(page, 'PS-FLOW-0001');
    const accepted = stack.services.sandbox!.state().accepted.update;
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.fields).toMatchObject({
      plate: '粤B12345',
      parking_serial: 'PS-FLOW-0001',
      operator: '王小明',
    });
    expect(seqno).toBe(accepted[0]!.seqno);
  }, 90_000);
});
