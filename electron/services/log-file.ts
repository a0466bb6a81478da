/**
 * The console's own log file, for the vendor's support line: every line the logger writes (electron/services/
 * logger.ts, already masked) also goes to `<data>/logs/console.log`, which rotates at about 2 MB into
 * `console.1.log` … `console.5.log` (the oldest is deleted). Lines still go where they went before (stderr).
 *
 * The only user of electron-log: its node variant (`electron-log/node`) runs in plain Node (the preview host, tests)
 * and in Electron's main process alike. One thread writes the file (the host's); the backend thread's lines reach it
 * through the logger's forwardLogLine. Writes are synchronous appends of one short line (electron-log's sync mode), so
 * a rotation never races a pending write.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import { listLogFiles, LOG_KEEP, logFileName, logFolder } from './log-folder.ts';
import { logError, logInfo, setLogSink, type LogLevel, type LogSink } from './logger.ts';

export const LOG_MAX_BYTES = 2 * 1024 * 1024;

export interface LogFileOptions {
  /** Rotate when the file is bigger than this (default 2 MB). */
  maxSize?: number;
  /** How many rotated files to keep (default 5). */
  keep?: number;
}

export interface LogFile {
  /** `<data>/logs`. */
  readonly folder: string;
  /** The log files there now, oldest first (`console.5.log` … `console.1.log`, `console.log`). */
  files(): string[];
  /** Stops writing the file; lines go only where they went before attachLogFile. */
  close(): void;
}

const LEVELS = { ERROR: 'error', WARN: 'warn', INFO: 'info' } as const satisfies Record<LogLevel, string>;

let attached: LogFile | null = null;
let instances = 0;

/**
 * `console.log` becomes `console.1.log`, each older one moves up a number, the one beyond `keep` is deleted. A file
 * that cannot be moved (held open by an editor on Windows) is cut to its last quarter instead, so the log never grows
 * without bound.
 */
function rotate(folder: string, keep: number): void {
  rmSync(join(folder, logFileName(keep)), { force: true });
  for (let n = keep - 1; n >= 0; n--) {
    const from = join(folder, logFileName(n));
    if (existsSync(from)) renameSync(from, join(folder, logFileName(n + 1)));
  }
}

/**
 * Starts writing every logger line to `<dataDir>/logs/console.log` (and still to stderr, or to whatever sink was set
 * before). A second attach replaces the first (one log file per thread).
 */
export function attachLogFile(dataDir: string, options: LogFileOptions = {}): LogFile {
  attached?.close();
  const folder = logFolder(dataDir);
  const keep = Math.max(1, Math.floor(options.keep ?? LOG_KEEP));
  const path = join(folder, logFileName(0));

  const logger = electronLog.create({ logId: `booth-console-file-${++instances}` });
  // Only the file: stderr is the sink's job (in Node the ipc transport is null).
  for (const name of ['console', 'ipc', 'remote'] as const) {
    const t = logger.transports[name] as { level: false | string } | null | undefined;
    if (t) t.level = false;
  }
  const file = logger.transports.file;
  // The app's name is asked only for electron-log's default folder, which is not used; set, so it is never looked up.
  file.setAppName('pyun-booth-console');
  file.resolvePathFn = () => path;
  file.maxSize = options.maxSize ?? LOG_MAX_BYTES;
  file.sync = true;
  file.level = 'info';
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  // The logger's lines are complete (time, context, level, masked message): written as they are.
  file.transforms = [({ data }) => String(data[0])];
  file.archiveLogFn = (old) => {
    try {
      rotate(folder, keep);
    } catch (e) {
      process.stderr.write(`日志文件轮换失败, 截短继续写入: ${e instanceof Error ? e.message : String(e)}\n`);
      (old as unknown as { crop(bytes: number): void }).crop(Math.round(file.maxSize / 4));
    }
  };
  // electron-log keeps one counter per path for the whole process: read the size from the disk again.
  (file.getFile() as unknown as { reset(): void }).reset();

  let open = true;
  const sink: LogSink = (line, level) => {
    if (open) logger[LEVELS[level]](line);
    before(line, level);
  };
  const before = setLogSink(sink);

  const handle: LogFile = {
    folder,
    files: () => listLogFiles(folder, keep),
    close() {
      if (!open) return;
      logInfo('log-file', '日志文件关闭');
      open = false;
      if (attached === handle) {
        attached = null;
        setLogSink(before);
      }
    },
  };
  attached = handle;
  logInfo('log-file', `日志文件: ${path}`);
  return handle;
}

/**
 * attachLogFile for a host's start: a log folder that cannot be written (a read-only data folder) does not stop the
 * console; its lines then go to stderr only, and that is said there. Null when no file could be opened.
 */
export function attachLogFileIfPossible(dataDir: string): LogFile | null {
  try {
    return attachLogFile(dataDir);
  } catch (e) {
    logError('log-file', e);
    return null;
  }
}
