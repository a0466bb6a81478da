/**
 * `node scripts/check-fuses.ts <packaged .exe or Electron binary>`: reads the fuses burnt into a packaged program and
 * compares them with electron-builder.yml's `electronFuses`, one line per fuse; exits 1 on any difference. The
 * Windows CI runs it on release/win-unpacked, the program the installer ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { load } from 'js-yaml';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** A fuse's byte in the wire: ASCII '1' on, '0' off (@electron/fuses' FuseState, which its index does not export). */
export const FUSE_ON = 0x31;
export const FUSE_OFF = 0x30;

/** electron-builder's option name for each fuse (`runAsNode`) → the fuse wire's name (`RunAsNode`). */
export const fuseName = (option: string) => option.charAt(0).toUpperCase() + option.slice(1);

export function expectedFuses(): Record<string, boolean> {
  const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
    electronFuses?: Record<string, boolean>;
  };
  return config.electronFuses ?? {};
}

/** One line per fuse of electron-builder.yml, and whether the binary's wire has them all as configured. */
export async function checkFuses(binary: string): Promise<{ ok: boolean; lines: string[] }> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<string, number>;
  const lines: string[] = [];
  let ok = true;
  for (const [option, want] of Object.entries(expectedFuses())) {
    const index = FuseV1Options[fuseName(option) as keyof typeof FuseV1Options];
    if (index === undefined) {
      lines.push(`FAIL ${option}: 不认识的保险丝 (unknown fuse)`);
      ok = false;
      continue;
    }
    const state = wire[index];
    const set = state === FUSE_ON || state === FUSE_OFF;
    const right = set && (state === FUSE_ON) === want;
    ok &&= right;
    const shown = state === FUSE_ON ? 'on' : state === FUSE_OFF ? 'off' : `state ${state}`;
    lines.push(`${right ? 'ok  ' : 'FAIL'} ${fuseName(option)}: ${shown} (want ${want ? 'on' : 'off'})`);
  }
  return { ok, lines };
}

if (import.meta.main) {
  const binary = process.argv[2];
  if (!binary) {
    process.stderr.write('用法: node scripts/check-fuses.ts <程序 .exe>\n');
    process.exit(2);
  }
  const { ok, lines } = await checkFuses(binary);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = ok ? 0 : 1;
}
