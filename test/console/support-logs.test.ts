/**
 * 导出运行日志 (exportSupportLogs): the log files, oldest first under a line naming each, behind a header (version,
 * data folder, time zone, platform, system), as a text file in the data folder for the host to save; no secret in it.
 * hostNotices: none in-process (the backend thread's client answers with the host's).
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPath } from '../../electron/services/exports.ts';
import { attachLogFile, type LogFile } from '../../electron/services/log-file.ts';
import { clearMaskedSecrets, logError, logInfo, setLogSink } from '../../electron/services/logger.ts';
import type { ExportFile, HostNotice } from '../../shared/contract/host.ts';
import { HARNESS_PIN, openHarness, type Harness } from './helpers.ts';

let h: Harness | null = null;
let log: LogFile | null = null;
afterEach(async () => {
  log?.close();
  log = null;
  setLogSink(null);
  clearMaskedSecrets();
  await h?.close();
  h = null;
});

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

function exported(harness: Harness, file: ExportFile): string {
  const path = exportPath(harness.services.dataDir, file.handle)!;
  expect(statSync(path).size).toBe(file.bytes);
  return readFileSync(path, 'utf8');
}

describe('exportSupportLogs', () => {
  it('writes every log file oldest first behind a header, with no secret, for anyone at the PC', async () => {
    setLogSink(() => {});
    h = await openHarness();
    log = attachLogFile(h.services.dataDir, { maxSize: 800 });
    const secret = 'Support-Export-Secret-5e1';
    await h.ok('unlockManager', { pin: HARNESS_PIN, name: '李经理' });
    await h.ok('updateSettings', { appSecret: secret, keepSecretInKeyFile: true, managerPin: '97531' });
    await h.ok('lockManager');
    for (let i = 0; i < 40; i++) logInfo('queue', `第 ${String(i).padStart(3, '0')} 条 sign=FEDCBA${i}`);
    logError('platform', new Error(`平台回显 ${secret}`));
    // A line that reached the file unmasked (written by an older version, say) is masked in the export.
    appendFileSync(join(log.folder, 'console.log'), `旧行 ${secret}\n`);

    const file = await h.ok<ExportFile>('exportSupportLogs');
    expect(file.filename).toMatch(/^岗亭控制台日志-\d{8}-\d{6}\.txt$/);
    expect(file.mime).toBe('text/plain');
    const text = exported(h, file);
    expect(text.startsWith('\uFEFF岗亭控制台 运行日志')).toBe(true);
    expect(text).toContain(`版本: ${version}`);
    expect(text).toContain(`数据目录: ${h.services.dataDir}`);
    expect(text).toContain('车场时区: Asia/Shanghai');
    expect(text).toContain('上传平台: 内置沙箱');
    expect(text).toMatch(/操作系统: \S+/);
    const names = log.files().map((p) => p.split(/[\\/]/).at(-1)!);
    expect(names.length).toBeGreaterThan(2);
    expect(text).toContain(`日志文件: ${names.length} 个`);
    const heads = [...text.matchAll(/^===== (console(?:\.\d)?\.log) =====$/gm)].map((m) => m[1]);
    expect(heads).toEqual(names);
    expect(names.at(-1)).toBe('console.log');
    // Every line of the files is there, in the order written.
    const numbers = [...text.matchAll(/第 (\d{3}) 条/g)].map((m) => Number(m[1]));
    expect(numbers.at(-1)).toBe(39);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    expect(text).toContain('平台回显 ***');
    expect(text).toContain('旧行 ***');
    for (const s of [secret, 'FEDCBA1', '97531']) expect(text).not.toContain(s);
  });

  it('says when there is no log file yet', async () => {
    h = await openHarness({ setUp: false });
    const text = exported(h, await h.ok<ExportFile>('exportSupportLogs'));
    expect(text).toContain('日志文件: 0 个');
    expect(text).toContain('(还没有日志文件)');
  });
});

describe('hostNotices', () => {
  it('is empty in-process, and open before the first-start setup', async () => {
    h = await openHarness({ setUp: false });
    expect(await h.ok<HostNotice[]>('hostNotices')).toEqual([]);
  });
});
