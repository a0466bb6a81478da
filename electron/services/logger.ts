/**
 * Main-process logger: one plain line per event.
 *
 *   2024-05-01T08:00:00.000Z [queue.commit] ERROR 数据目录只读: ...
 *
 * Lines go to a sink: stderr by default; the log file (electron/services/log-file.ts) adds itself in front of it; a
 * worker thread (the backend) sets one that posts each line to the host's thread, which passes it on with
 * forwardLogLine. This module has no dependency (no electron-log), so that any thread can use it.
 *
 * Only the message of an error is written, never its stack or any other property (errors here may wrap request
 * bodies or credentials). Nothing secret is written: every value registered with maskSecret (the settings service
 * registers each app secret it saves or decrypts) and the value of any `app_secret=…`, `sign=…`, `"pin":"…"` style
 * pair read as ***, in this thread's lines and in lines forwarded from another thread.
 *
 * Tests replace the sink with setLogSink(fn) and restore it with setLogSink(null).
 */

export type LogLevel = 'ERROR' | 'WARN' | 'INFO';
export type LogSink = (line: string, level: LogLevel) => void;

export const MASKED = '***';

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

let sink: LogSink = stderrSink;

/** Replace where log lines go (tests, the log file, a worker thread); null restores stderr. Returns the one before. */
export function setLogSink(fn: LogSink | null): LogSink {
  const before = sink;
  sink = fn ?? stderrSink;
  return before;
}

// ---- masking ----

/** Shorter values cannot be told from ordinary text (a 2-character secret would blank half the log). */
const MIN_MASKED_LENGTH = 3;
/** A console sees a handful of secrets in its life; the oldest beyond this are forgotten. */
const MAX_MASKED = 64;
let masked: string[] = [];
const maskListeners = new Set<(value: string) => void>();

/**
 * Registers a secret: from now on it never appears in a line (nor its URL-encoded form). The settings service calls
 * it with every app secret it saves or decrypts.
 */
export function maskSecret(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_MASKED_LENGTH) return;
  const forms = new Set([value, encodeURIComponent(value)]);
  let added = false;
  for (const form of forms) {
    if (masked.includes(form)) continue;
    masked.push(form);
    added = true;
  }
  if (!added) return;
  if (masked.length > MAX_MASKED) masked = masked.slice(-MAX_MASKED);
  // Longest first: a secret that contains another is masked whole.
  masked.sort((a, b) => b.length - a.length);
  for (const l of maskListeners) {
    try {
      l(value);
    } catch {
      // a listener that throws (a closed port) must not keep the secret from being masked here
    }
  }
}

/**
 * Told of every secret registered from now on (once each): a worker thread passes them to the host's thread, whose
 * own lines (an IPC error naming an input) are then masked as well. Returns the unsubscribe.
 */
export function onMaskedSecret(listener: (value: string) => void): () => void {
  maskListeners.add(listener);
  return () => maskListeners.delete(listener);
}

/** Tests: forget every registered secret. */
export function clearMaskedSecrets(): void {
  masked = [];
}

/**
 * `app_secret=…`, `appSecret: …`, `"sign":"…"`, `x-sandbox-token: …`, `managerPin=…`: the name (not part of a longer
 * word), then = or :, then the value up to a space, quote, `&`, `,`, `;` or closing bracket.
 */
const SECRET_NAME = '(?:app_?secret|secret|sign|signature|manager_?pin|pin|password|token)';
const SECRET_PAIR = new RegExp(
  String.raw`((?:^|[^A-Za-z0-9_])${SECRET_NAME}["']?\s*[=:]\s*["']?)[^\s"'&,;)}\]]+`,
  'gi',
);

/** A line as it may be written: every registered secret and every secret-named pair's value masked. */
export function maskLine(line: string): string {
  let out = line;
  for (const s of masked) if (out.includes(s)) out = out.split(s).join(MASKED);
  return out.replace(SECRET_PAIR, `$1${MASKED}`);
}

// ---- writing ----

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

function emit(line: string, level: LogLevel): void {
  try {
    sink(maskLine(line), level);
  } catch {
    // logging must never break the caller; a broken sink (closed stderr) loses only this line
  }
}

function write(level: LogLevel, context: string, message: string): void {
  emit(`${new Date().toISOString()} [${oneLine(context)}] ${level} ${oneLine(message)}`, level);
}

export function logError(context: string, e: unknown): void {
  write('ERROR', context, messageOf(e));
}

export function logWarn(context: string, message: string): void {
  write('WARN', context, message);
}

/** What the console did on its own that support may ask about: started, stopped, restarted the backend. */
export function logInfo(context: string, message: string): void {
  write('INFO', context, message);
}

/**
 * A line already written by another thread's logger (the backend worker's), passed on to this thread's sink. It is
 * masked again here (with this thread's registered secrets too).
 */
export function forwardLogLine(line: string, level: LogLevel): void {
  emit(oneLine(line), level);
}
