/**
 * Exports written into the data folder (electron/services/exports.ts): a write that fails at any moment (the file
 * cannot be opened, the disk fills while the next page is read) is a rejected promise and leaves no file, never an
 * uncaught error (in the backend thread that would stop it, and every call in flight with it).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPath, exportsDir, sweepExports, writeExport } from '../../electron/services/exports.ts';
import { EXPORT_KEEP_MS } from '../../shared/contract/host.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'booth-exports-'));
  dirs.push(d);
  return d;
};

async function* slowPages(): AsyncGenerator<string> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    yield `第 ${i} 页\r\n`;
  }
}

describe('writeExport', () => {
  it('writes every piece and counts its bytes', async () => {
    const dir = folder();
    const file = await writeExport(dir, { filename: '导出.csv', mime: 'text/csv' }, slowPages());
    expect(file.handle).toMatch(/^[0-9a-f]{32}$/);
    expect(file.bytes).toBe(Buffer.byteLength('第 0 页\r\n') * 5);
    expect(existsSync(exportPath(dir, file.handle)!)).toBe(true);
  });

  it('rejects, leaving nothing, when the file cannot be written while pages are still being read', async () => {
    const dir = folder();
    // A folder where no file can be created: the open fails after the stream is made, while the next page is read.
    symlinkSync('/proc/self', exportsDir(dir));
    await expect(writeExport(dir, { filename: 'x.csv', mime: 'text/csv' }, slowPages())).rejects.toThrow();
  });

  it('removes the half-written file when a page fails', async () => {
    const dir = folder();
    async function* broken(): AsyncGenerator<string> {
      yield '第一页\r\n';
      throw new Error('读取日志失败');
    }
    await expect(writeExport(dir, { filename: 'x.csv', mime: 'text/csv' }, broken())).rejects.toThrow('读取日志失败');
    expect(readdirSync(exportsDir(dir))).toEqual([]);
  });

  it('sweeps exports nobody saved after a day, and keeps newer ones', async () => {
    const dir = folder();
    const old = await writeExport(dir, { filename: 'a.csv', mime: 'text/csv' }, ['a']);
    const fresh = await writeExport(dir, { filename: 'b.csv', mime: 'text/csv' }, ['b']);
    const when = new Date(Date.now() - EXPORT_KEEP_MS - 60_000);
    utimesSync(exportPath(dir, old.handle)!, when, when);
    expect(sweepExports(dir)).toBe(1);
    expect(readdirSync(exportsDir(dir))).toEqual([fresh.handle]);
  });
});
