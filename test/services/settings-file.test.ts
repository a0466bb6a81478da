/**
 * Issue 8 ("values silently changed"): what the settings file holds is what the console runs by, or it does not start.
 * A value that does not pass, or a file that is JSON but not an object, stops the CLI and openConsoleServices with a
 * message naming the file, each bad field and its value and what to do; a field left out takes its default; a file
 * saved by Windows Notepad (UTF-8 with a BOM) is read, and written back without one.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../electron/preview/build.ts';
import { SettingsFileError, SettingsValueError } from '../../electron/queue/storage-errors.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { tempDir } from '../support/sandbox.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const CLI = join(REPO_ROOT, 'electron', 'cli', 'main.ts');

/** A data folder whose settings.json holds exactly `content`. */
function folderWith(content: string | Buffer): { dir: string; file: string } {
  const dir = tempDir('settings-file');
  const file = join(dir, 'settings.json');
  writeFileSync(file, content);
  return { dir, file };
}

function status(dir: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [CLI, 'status', '--data-dir', dir], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TODO = '请改正或删除该项后重新启动 (记录不受影响)。';

describe('a value in the settings file that does not pass', () => {
  const typo = '{"settings":{"platform":"prodution","parkUuid":"P1"}}';

  it('stops the CLI naming the file, the field, its value and what to do (not the sandbox by default)', () => {
    const { dir, file } = folderWith(typo);
    const r = status(dir);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stdout).not.toContain('"platform":"sandbox"');
    expect(r.stderr).toContain(`设置文件中有无效的设置项: ${file}。`);
    expect(r.stderr).toContain('settings.platform = "prodution": 平台须为 sandbox、integration、production 或 custom');
    expect(r.stderr).toContain(TODO);
    expect(readFileSync(file, 'utf8')).toBe(typo); // the file is left as the person wrote it
  }, 20_000);

  it('stops openConsoleServices with a SettingsValueError listing every bad field', async () => {
    const { dir, file } = folderWith(
      JSON.stringify({ settings: { platform: 'production', concurrency: 99, reasons: ['ok', ''], platfrom: 'x' } }),
    );
    const error = await openConsoleServices({ dataDir: dir, embeddedSandbox: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsValueError);
    expect(error).toBeInstanceOf(SettingsFileError); // shown wherever a corrupt file is shown
    const e = error as SettingsValueError;
    expect(e.path).toBe(file);
    expect(e.problems).toEqual([
      { field: 'settings.platfrom', value: 'x', message: '未知的设置项' },
      { field: 'settings.concurrency', value: 99, message: '不能超过 8' },
      { field: 'settings.reasons.1', value: '', message: '不能为空' },
    ]);
    expect(e.message).toContain('settings.concurrency = 99: 不能超过 8');
    expect(e.message.endsWith(TODO)).toBe(true);
  });

  it('a null is a value, not an absent field', async () => {
    const { dir } = folderWith('{"settings":{"platform":null}}');
    await expect(openConsoleServices({ dataDir: dir, embeddedSandbox: false })).rejects.toThrow(
      'settings.platform = null',
    );
  });

  it('a field left out still takes its default', async () => {
    const { dir } = folderWith('{"settings":{"platform":"integration","parkUuid":"P1"}}');
    const s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    try {
      expect(s.settings.values()).toMatchObject({ platform: 'integration', parkUuid: 'P1', stationId: 'ST01' });
    } finally {
      await s.close();
    }
  });
});

describe('a settings file that is JSON but not a settings object', () => {
  for (const content of ['[]', 'null', '"x"', '1', '{"settings":[]}']) {
    it(`${content}: refused by the CLI and openConsoleServices, not rewritten as fresh settings`, async () => {
      const { dir, file } = folderWith(content);
      const r = status(dir);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain(file);
      expect(r.stderr).toContain('不是设置对象');
      const error = await openConsoleServices({ dataDir: dir, embeddedSandbox: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SettingsFileError);
      expect((error as Error).message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }, 20_000);
  }
});

describe('a settings file saved by Windows Notepad (UTF-8 with a BOM)', () => {
  const bom = () =>
    folderWith(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"settings":{"platform":"integration"}}')]),
    );

  it('is read by the CLI', () => {
    const { dir } = bom();
    const r = status(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ platform: 'integration' });
  }, 20_000);

  it('is read in-process and written back without a BOM', async () => {
    const { dir, file } = bom();
    const s = await openConsoleServices({ dataDir: dir, embeddedSandbox: false, startWorker: false });
    try {
      expect(s.settings.values().platform).toBe('integration');
      s.settings.update({ parkUuid: 'P2' });
    } finally {
      await s.close();
    }
    const bytes = readFileSync(file);
    expect(bytes[0]).toBe('{'.charCodeAt(0));
    expect(JSON.parse(bytes.toString('utf8')).settings).toMatchObject({ platform: 'integration', parkUuid: 'P2' });
  });
});
