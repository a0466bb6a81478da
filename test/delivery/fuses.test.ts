/**
 * scripts/check-fuses.ts, which the Windows CI runs on the packaged program: on a stand-in binary carrying Electron's
 * fuse wire (the sentinel, version 1, eight fuses at Electron's defaults), it fails before electron-builder.yml's
 * fuses are flipped in (as electron-builder does with @electron/fuses) and passes after; one fuse changed fails again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFuses, expectedFuses, FUSE_OFF as OFF, FUSE_ON as ON, fuseName } from '../../scripts/check-fuses.ts';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off,
// only-from-ASAR off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];

const dir = mkdtempSync(join(tmpdir(), 'booth-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function standIn(name: string): string {
  const path = join(dir, name);
  const wire = Buffer.from([Number(FuseVersion.V1), DEFAULT_WIRE.length, ...DEFAULT_WIRE]);
  writeFileSync(path, Buffer.concat([Buffer.alloc(64, 7), Buffer.from(SENTINEL, 'ascii'), wire, Buffer.alloc(64, 7)]));
  return path;
}

function configuredFuses() {
  const flips: Partial<Record<FuseV1Options, boolean>> = {};
  for (const [option, on] of Object.entries(expectedFuses())) {
    flips[FuseV1Options[fuseName(option) as keyof typeof FuseV1Options]] = on;
  }
  return flips;
}

describe('check-fuses', () => {
  it('fails on Electron as it comes, passes once the configured fuses are burnt in', async () => {
    const binary = standIn('booth-console.exe');
    const before = await checkFuses(binary);
    expect(before.ok).toBe(false);
    expect(before.lines).toContain('FAIL RunAsNode: on (want off)');
    await flipFuses(binary, { version: FuseVersion.V1, ...configuredFuses() });
    const after = await checkFuses(binary);
    expect(after.lines.filter((l) => !l.startsWith('ok'))).toEqual([]);
    expect(after.ok).toBe(true);
    expect(after.lines).toHaveLength(7);
  });

  it('fails when one fuse differs (the CI copy with Node inspect on is not the shipped program)', async () => {
    const binary = standIn('e2e-copy.exe');
    await flipFuses(binary, {
      version: FuseVersion.V1,
      ...configuredFuses(),
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
    });
    const { ok, lines } = await checkFuses(binary);
    expect(ok).toBe(false);
    expect(lines).toContain('FAIL EnableNodeCliInspectArguments: on (want off)');
  });
});
