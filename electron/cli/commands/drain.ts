/**
 * `drain`: run the worker on a data folder's outbox. Prints one JSON line per attempt as it happens and a
 * final summary line. Safe to kill at any moment (even SIGKILL): what was in flight is sent again with
 * its key on the next run. Exit 0 when nothing is left waiting, 1 when records need attention, the queue
 * is paused, or records still wait (the reason goes to stderr); 3 when another process (the console, another
 * drain) already sends from this data folder.
 */
import type { PushLogRow, QueueStatus } from '../../../shared/contract/queue.ts';
import { CliError, intFlag, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { TARGET_FLAGS, checkDataDir, openCliQueue, openSettings, resolveTarget } from '../queue-target.ts';
import { resolveSecret, secretGiven } from '../secret.ts';

export const drainUsage =
  'drain --data-dir D [--until-empty] ' +
  '[--base-url URL --park-uuid P (--secret S | --secret-file F | 环境变量 PYUN_APP_SECRET)] ' +
  '[--app-id A] [--api-type T] [--mode integration|production] [--encoding-url] ' +
  '[--concurrency N] [--rate N] [--timeout-ms N] [--backoff-ms N] [--backoff-cap-ms N] [--quiet]';

function logLine(row: PushLogRow): string {
  return JSON.stringify({
    at: new Date(row.at).toISOString(),
    endpoint: row.endpoint,
    key: row.recordKey,
    attempt: row.attempt,
    outcome: row.outcome,
    httpStatus: row.httpStatus,
    code: row.code,
    message: row.message,
    hint: row.hint,
    seqno: row.seqno,
    latencyMs: row.latencyMs,
    error: row.error,
  });
}

/** Why the run did not end with an empty outbox, or null when it did. */
function problemOf(s: QueueStatus): string | null {
  if (s.paused) {
    const p = s.paused;
    const why =
      p.kind === 'manual'
        ? `${p.by} 手动暂停: ${p.reason}`
        : p.kind === 'auth'
          ? `平台拒绝了凭据: ${p.message}`
          : p.message;
    return `队列已暂停 (${why})`;
  }
  if (s.counts.attention > 0) return `${s.counts.attention} 条记录需处理 (被平台拒绝, 请修改后重新提交或作废)`;
  const left = s.counts.waiting + s.counts.sending;
  if (left > 0) return `还有 ${left} 条记录待上传`;
  return null;
}

export async function drainCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, switches } = parseArgs('drain', argv, {
    values: [
      'data-dir',
      ...TARGET_FLAGS,
      'secret-file',
      'concurrency',
      'rate',
      'timeout-ms',
      'backoff-ms',
      'backoff-cap-ms',
    ],
    switches: ['until-empty', 'encoding-url', 'quiet'],
    required: ['data-dir'],
  });
  const dataDir = callerPath(values['data-dir']!);
  checkDataDir('drain', dataDir, false);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0.1 && rate <= 1_000_000)) {
    throw new CliError(`drain: --rate 须为 0.1 到 1000000 之间的数字, 收到 "${values.rate}"`);
  }
  // The secret from whichever source (the environment only with --base-url/--park-uuid: else the folder's settings).
  const byFlags =
    values['base-url'] !== undefined ||
    values['park-uuid'] !== undefined ||
    values.secret !== undefined ||
    values['secret-file'] !== undefined;
  if (byFlags && secretGiven(values)) values.secret = await resolveSecret('drain', values);
  const settings = openSettings(dataDir);
  const target = resolveTarget('drain', values, switches, settings);
  const cli = openCliQueue(
    {
      dataDir,
      target,
      concurrency: intFlag('drain', 'concurrency', values.concurrency, 1, 64),
      ratePerSecond: rate,
      timeoutMs: intFlag('drain', 'timeout-ms', values['timeout-ms'], 100, 600_000),
      backoffBaseMs: intFlag('drain', 'backoff-ms', values['backoff-ms'], 1, 3_600_000),
      backoffCapMs: intFlag('drain', 'backoff-cap-ms', values['backoff-cap-ms'], 1, 24 * 3_600_000),
    },
    settings,
  );
  const { queue } = cli;
  const started = Date.now();
  let attempts = 0;
  let accepted = 0;
  let wasPaused = false;
  let said: string | null = null;
  const say = (problem: string) => {
    if (problem !== said) process.stderr.write(`drain: ${problem}\n`);
    said = problem;
  };
  const unsubscribe = queue.subscribe((e) => {
    if (e.type === 'log') {
      attempts++;
      if (e.row.outcome === 'accepted') accepted++;
      if (!switches.has('quiet')) out(logLine(e.row));
    } else if (e.type === 'status' && !!e.status.paused !== wasPaused) {
      wasPaused = !!e.status.paused;
      const problem = problemOf(e.status);
      if (wasPaused && problem) say(problem);
    }
  });

  let onSignal: () => void = () => undefined;
  const signalled = new Promise<'signal'>((resolve) => {
    onSignal = () => resolve('signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  // A promise alone does not keep Node running: this does, until the run ends.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    // First, before anything is changed: another sender on this folder ends the run here (exit 3).
    queue.start();
    // A CLI run is someone acting: a pause for refused credentials is lifted so these credentials get a try.
    queue.credentialsChanged();
    const finished = switches.has('until-empty')
      ? queue.idle().then(() => 'idle' as const)
      : new Promise<never>(() => undefined);
    await Promise.race([signalled, finished]);
    await queue.stop(5000);
    const status = queue.status();
    out(
      JSON.stringify({
        done: true,
        elapsedMs: Date.now() - started,
        attempts,
        accepted,
        counts: status.counts,
        stuck: status.stuck,
        paused: status.paused,
      }),
    );
    const problem = problemOf(status);
    if (problem) say(problem);
    return problem ? 1 : 0;
  } finally {
    clearInterval(keepAlive);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    await cli.close();
  }
}
