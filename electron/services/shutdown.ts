/**
 * Shutting down never hangs and never stops half-way. Each step runs even when one before it failed
 * (a read-only data folder makes the sender lock's release throw: the embedded sandbox, closed after
 * it, kept the process alive), each failure is logged, and a hard deadline ends the process anyway.
 */
import { logError } from './logger.ts';

export type ShutdownStep = readonly [name: string, run: () => unknown];

/** Runs every step in order; returns whether all succeeded. */
export async function runSteps(steps: readonly ShutdownStep[]): Promise<boolean> {
  let ok = true;
  for (const [name, run] of steps) {
    try {
      await run();
    } catch (e) {
      // Logged; what this step would have saved was already on disk or reported when it failed.
      logError(`shutdown.${name}`, e);
      ok = false;
    }
  }
  return ok;
}

export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Calls `exit(code)` after the steps, or after `deadlineMs` if they have not finished by then
 * (a step stuck on a dead disk). The deadline's timer does not keep the process alive by itself.
 */
export async function shutdownWithin(
  steps: readonly ShutdownStep[],
  exit: (code: number) => void,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      logError('shutdown', `关闭超过 ${Math.round(deadlineMs / 1000)} 秒仍未完成, 强制退出`);
      resolve(false);
    }, deadlineMs);
    timer.unref?.();
  });
  const ok = await Promise.race([runSteps(steps), deadline]);
  clearTimeout(timer);
  exit(ok ? 0 : 1);
}
