/**
 * Main-process logger: one plain line per event on stderr.
 *
 *   2024-05-01T08:00:00.000Z [queue.commit] ERROR 数据目录只读: ...
 *
 * Only the message of an error is written, never its stack or any other
 * property (errors here may wrap request bodies or credentials).
 * Tests replace the sink with setLogSink(fn) and restore it with
 * setLogSink(null).
 */

export type LogLevel = 'ERROR' | 'WARN';
export type LogSink = (line: string, level: LogLevel) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

let sink: LogSink = stderrSink;

/** Replace where log lines go (tests); null restores stderr. */
export function setLogSink(fn: LogSink | null): void {
  sink = fn ?? stderrSink;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return String(e);
  } catch {
    // an object whose toString throws: the fixed text below is still logged
    return '(无法显示的错误)';
  }
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

function write(level: LogLevel, context: string, message: string): void {
  const line = `${new Date().toISOString()} [${oneLine(context)}] ${level} ${oneLine(message)}`;
  try {
    sink(line, level);
  } catch {
    // logging must never break the caller; a broken sink (closed stderr) loses only this line
  }
}

export function logError(context: string, e: unknown): void {
  write('ERROR', context, messageOf(e));
}

export function logWarn(context: string, message: string): void {
  write('WARN', context, message);
}
