/**
 * The console's log file (electron/services/log-file.ts): every logger line in `<data>/logs/console.log`, rotated into
 * console.1.log … console.5.log, still passed to the sink before it (stderr); a second attach and a close; and no
 * secret in it, whatever an error says.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachLogFile, type LogFile } from '../../electron/services/log-file.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import {
  clearMaskedSecrets,
  forwardLogLine,
  logError,
  logInfo,
  logWarn,
  maskLine,
  maskSecret,
  setLogSink,
} from '../../electron/services/logger.ts';
import { LOG_FOLDER } from '../../shared/contract/host.ts';

let dir: string;
let echoed: string[];
let file: LogFile | null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'booth-log-file-'));
  echoed = [];
  setLogSink((line) => echoed.push(line));
  file = null;
});

afterEach(() => {
  file?.close();
  setLogSink(null);
  clearMaskedSecrets();
  rmSync(dir, { recursive: true, force: true });
});

const text = (path: string) => readFileSync(path, 'utf8');
const allText = (f: LogFile) => f.files().map(text).join('');

describe('the log file', () => {
  it('gets every line, levels included, and the sink before it still gets them', () => {
    file = attachLogFile(dir);
    expect(file.folder).toBe(join(dir, LOG_FOLDER));
    logInfo('host', '控制台启动');
    logWarn('queue', '上传暂停');
    logError('db', new Error('数据目录只读'));
    const lines = text(join(dir, 'logs', 'console.log'))
      .trim()
      .split(/\r?\n/);
    expect(lines.at(-3)).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[host\] INFO 控制台启动$/);
    expect(lines.at(-2)).toMatch(/\[queue\] WARN 上传暂停$/);
    expect(lines.at(-1)).toMatch(/\[db\] ERROR 数据目录只读$/);
    expect(echoed.slice(-3)).toEqual(lines.slice(-3));
    expect(file.files()).toEqual([join(dir, 'logs', 'console.log')]);
  });

  it('rotates at the size given, keeps five older files (oldest first), and loses no line in between', () => {
    file = attachLogFile(dir, { maxSize: 1000 });
    const count = 400;
    for (let i = 0; i < count; i++) logInfo('bench', `第 ${String(i).padStart(4, '0')} 行`);
    const files = file.files();
    expect(files.map((p) => basename(p))).toEqual([
      'console.5.log',
      'console.4.log',
      'console.3.log',
      'console.2.log',
      'console.1.log',
      'console.log',
    ]);
    expect(existsSync(join(dir, 'logs', 'console.6.log'))).toBe(false);
    // Each file holds at most the size plus the line that went over it.
    for (const p of files) expect(statSync(p).size).toBeLessThan(1000 + 100);
    // Read oldest first, the numbers run on without a gap up to the last line written.
    const numbers = allText(file)
      .split(/\r?\n/)
      .map((l) => /第 (\d{4}) 行/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(numbers.at(-1)).toBe(count - 1);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    // The oldest lines were deleted with the file beyond the fifth.
    expect(numbers[0]).toBeGreaterThan(0);
  });

  it('stops at close, goes on appending at a second attach, and a second attach replaces the first', () => {
    file = attachLogFile(dir);
    logInfo('t', 'before close');
    file.close();
    logInfo('t', 'while closed');
    expect(echoed.some((l) => l.endsWith('while closed'))).toBe(true);
    file = attachLogFile(dir);
    logInfo('t', 'after reattach');
    const first = text(join(dir, 'logs', 'console.log'));
    expect(first).toContain('before close');
    expect(first).toContain('日志文件关闭');
    expect(first).not.toContain('while closed');
    expect(first).toContain('after reattach');

    const other = mkdtempSync(join(tmpdir(), 'booth-log-file-other-'));
    try {
      const second = attachLogFile(other);
      logInfo('t', 'to the second only');
      expect(text(join(dir, 'logs', 'console.log'))).not.toContain('to the second only');
      expect(text(join(other, 'logs', 'console.log'))).toContain('to the second only');
      // The first handle's close now changes nothing; the second's restores the sink from before both.
      file.close();
      logInfo('t', 'second still attached');
      expect(text(join(other, 'logs', 'console.log'))).toContain('second still attached');
      second.close();
      logInfo('t', 'after both');
      expect(text(join(other, 'logs', 'console.log'))).not.toContain('after both');
      expect(echoed.filter((l) => l.endsWith('after both'))).toHaveLength(1);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('writes lines forwarded from another thread, masked here too', () => {
    file = attachLogFile(dir);
    maskSecret('host-known-secret');
    forwardLogLine('2025-01-01T00:00:00.000Z [backend.queue] ERROR 签名 host-known-secret sign=ABCDEF', 'ERROR');
    const written = text(join(dir, 'logs', 'console.log'));
    expect(written).toContain('[backend.queue] ERROR 签名 *** sign=***');
    expect(written).not.toContain('host-known-secret');
    expect(written).not.toContain('ABCDEF');
  });
});

describe('no secret in the log', () => {
  it('masks a secret set in the settings, an error quoting it, and key=value pairs of secrets and PINs', async () => {
    const secret = 'Vendor-Secret-9d2f7c';
    const data = join(dir, 'data');
    file = attachLogFile(data);
    const services = await openConsoleServices({ dataDir: data, startWorker: false, embeddedSandbox: false });
    try {
      services.settings.update({
        platform: 'integration',
        parkUuid: 'PARK-1',
        appSecret: secret,
        managerPin: '135790',
      });
      logError('platform.send', new Error(`签名验证不通过: 服务端收到 ${secret}`));
      logWarn('platform.body', `park_uuid=PARK-1&app_secret=${secret}&sign=0123456789ABCDEF`);
      logWarn('platform.json', '{"appSecret":"typed-but-refused","managerPin":"135790","pin": "2468"}');
      logError('platform.url', `${encodeURIComponent(secret)} in a URL`);
    } finally {
      await services.close();
    }
    // A console started again knows the secret only once it decrypts it: still masked.
    clearMaskedSecrets();
    const reopened = await openConsoleServices({ dataDir: data, startWorker: false, embeddedSandbox: false });
    try {
      expect(reopened.settings.target().target?.appSecret).toBe(secret);
      logError('platform.send', new Error(`again ${secret}`));
    } finally {
      await reopened.close();
    }
    const written = allText(file);
    expect(written).toContain('签名验证不通过: 服务端收到 ***');
    expect(written).toContain('app_secret=***&sign=***');
    expect(written).toContain('"managerPin":"***"');
    expect(written).toContain('"pin": "***"');
    expect(written).toContain('again ***');
    for (const s of [secret, encodeURIComponent(secret), '0123456789ABCDEF', 'typed-but-refused', '135790', '2468'])
      expect(written).not.toContain(s);
    expect(echoed.join('\n')).not.toContain(secret);
  });

  it('leaves ordinary text alone', () => {
    expect(maskLine('[queue.commit] ERROR 数据目录只读: signed 3 records, design=flat, key=B07-F-1')).toBe(
      '[queue.commit] ERROR 数据目录只读: signed 3 records, design=flat, key=B07-F-1',
    );
    maskSecret('ab'); // too short to tell from text: not masked (the pair rule still catches app_secret=ab)
    expect(maskLine('tab app_secret=ab')).toBe('tab app_secret=***');
  });
});
