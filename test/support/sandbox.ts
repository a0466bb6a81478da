/** A sandbox platform per test file, on 127.0.0.1 and a port chosen at run time. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PlatformTarget } from '../../electron/platform/target.ts';
import {
  SANDBOX_DEFAULT_PARK,
  SANDBOX_DEFAULT_SECRET,
  startSandbox,
  type Sandbox,
} from '../../electron/sandbox/server.ts';

export function useSandbox(): { sandbox: () => Sandbox; target: (over?: Partial<PlatformTarget>) => PlatformTarget } {
  let sandbox: Sandbox | null = null;
  beforeAll(async () => {
    sandbox = await startSandbox({ parks: { [SANDBOX_DEFAULT_PARK]: SANDBOX_DEFAULT_SECRET } });
  });
  beforeEach(() => {
    sandbox!.reset();
    sandbox!.setFaults([]);
    sandbox!.setParks({ [SANDBOX_DEFAULT_PARK]: SANDBOX_DEFAULT_SECRET });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return {
    sandbox: () => sandbox!,
    target: (over = {}) => ({
      baseUrl: sandbox!.url,
      parkUuid: SANDBOX_DEFAULT_PARK,
      appSecret: SANDBOX_DEFAULT_SECRET,
      mode: 'integration',
      ...over,
    }),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}
