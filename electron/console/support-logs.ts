/**
 * 导出运行日志: the console's log files (oldest first, each under a line naming it) behind a short header (version, data
 * folder, time zone, where records go, the operating system), as one text file in the data folder for the host to
 * save (writeExport). The files are masked when written (services/logger.ts); their text is masked again here with
 * the secrets this thread knows, so a secret never leaves in an export.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportFile } from '../../shared/contract/host.ts';
import { PLATFORM_KIND_LABELS, type Settings } from '../../shared/contract/settings.ts';
import { formatLocal } from '../../shared/records/time.ts';
import { writeExport } from '../services/exports.ts';
import { listLogFiles, logFolder } from '../services/log-folder.ts';
import { maskLine } from '../services/logger.ts';

const PACKAGE_NAME = 'pyun-booth-console';

let version: string | null = null;

/** The console's version from its package.json (looked for above this file: the sources, or the bundle's folder). */
export function consoleVersion(): string {
  if (version !== null) return version;
  version = '未知';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') {
        version = pkg.version;
        break;
      }
    } catch {
      // no package.json (or not ours) in this folder: look one level up
    }
    dir = dirname(dir);
  }
  return version;
}

/** `20250301-083000` in the car park's zone. */
export function localStamp(now: number, zone: string): string {
  return formatLocal(now, zone)
    .replace(/[-: ]/g, '')
    .replace(/^(\d{8})/, '$1-');
}

function osName(): string {
  const name = platform() === 'win32' ? 'Windows' : platform() === 'darwin' ? 'macOS' : platform();
  return `${name} ${release()} ${arch()}`;
}

async function* pieces(dataDir: string, settings: Settings, now: number): AsyncGenerator<string> {
  const files = listLogFiles(logFolder(dataDir));
  const electron = process.versions.electron;
  // A byte-order mark: older Notepads read the Chinese as UTF-8 only with one.
  yield [
    '\uFEFF岗亭控制台 运行日志',
    `导出时间: ${formatLocal(now, settings.timeZone)} (${settings.timeZone})`,
    `版本: ${consoleVersion()}`,
    `运行环境: ${electron ? `桌面程序 (Electron ${electron})` : '浏览器预览或命令行'} · Node ${process.versions.node}`,
    `操作系统: ${osName()}`,
    `数据目录: ${dataDir}`,
    `车场时区: ${settings.timeZone}`,
    `上传平台: ${PLATFORM_KIND_LABELS[settings.platform]} · ${settings.mode === 'production' ? '正式' : '联调'}模式`,
    `日志文件: ${files.length} 个 (由旧到新)`,
    '',
  ].join('\r\n');
  if (files.length === 0) yield '\r\n(还没有日志文件)\r\n';
  for (const file of files) {
    yield `\r\n===== ${basename(file)} =====\r\n`;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      // Rotated away between the listing and the read (or unreadable): said in the export, the others still go.
      yield `(无法读取: ${e instanceof Error ? e.message : String(e)})\r\n`;
      continue;
    }
    yield maskLine(text);
  }
}

export function exportSupportLogs(dataDir: string, settings: Settings, now = Date.now()): Promise<ExportFile> {
  return writeExport(
    dataDir,
    { filename: `岗亭控制台日志-${localStamp(now, settings.timeZone)}.txt`, mime: 'text/plain' },
    pieces(dataDir, settings, now),
  );
}
