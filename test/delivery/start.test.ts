/** scripts/start.ts: the preview's --data-dir given to Electron as its --user-data-dir; the binary looked up safely. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronArgs, findElectronBinary } from '../../scripts/start.ts';

describe('npm start', () => {
  it('passes --data-dir to Electron as --user-data-dir, and everything else as it is', () => {
    expect(electronArgs(['--data-dir', 'D:\\岗亭', '--hidden'])).toEqual(['--user-data-dir=D:\\岗亭', '--hidden']);
    expect(electronArgs(['--data-dir=/srv/booth'])).toEqual(['--user-data-dir=/srv/booth']);
    expect(electronArgs(['--data-dir'])).toEqual(['--data-dir']);
  });

  it('finds the binary only where it is, and says why not otherwise (never starting a download)', () => {
    const root = mkdtempSync(join(tmpdir(), 'booth-start-'));
    try {
      writeFileSync(join(root, 'package.json'), '{"name":"x"}');
      expect(findElectronBinary(root, {})).toMatchObject({ found: false, reason: expect.stringContaining('未安装') });
      const pkg = join(root, 'node_modules', 'electron');
      mkdirSync(join(pkg, 'dist'), { recursive: true });
      writeFileSync(join(pkg, 'package.json'), '{"name":"electron","version":"45.5.0"}');
      expect(findElectronBinary(root, {})).toMatchObject({ found: false, reason: expect.stringContaining('path.txt') });
      writeFileSync(join(pkg, 'path.txt'), 'electron');
      expect(findElectronBinary(root, {}).found).toBe(false);
      writeFileSync(join(pkg, 'dist', 'electron'), '');
      expect(findElectronBinary(root, {})).toEqual({ found: true, path: join(pkg, 'dist', 'electron') });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
