/** Small durable facts about the queue: why it is paused, when the platform last took a record, key sequences. */
import type { DatabaseSync } from 'node:sqlite';
import type { PauseReason } from '../../shared/contract/queue.ts';

export function createMetaRepo(sql: DatabaseSync) {
  const get = sql.prepare('SELECT value FROM meta WHERE name = ?');
  const set = sql.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  const del = sql.prepare('DELETE FROM meta WHERE name = ?');
  const seq = sql.prepare(
    'INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
  );
  const read = (name: string) => (get.get(name) as { value: string } | undefined)?.value ?? null;
  // Read on every pass of the worker: kept in memory, re-read by refresh() (another process may pause or resume).
  let pause: PauseReason | null | undefined;
  return {
    pause(): PauseReason | null {
      if (pause === undefined) {
        const v = read('pause');
        pause = v ? (JSON.parse(v) as PauseReason) : null;
      }
      return pause;
    },
    setPause(reason: PauseReason | null): void {
      if (reason) set.run('pause', JSON.stringify(reason));
      else del.run('pause');
      pause = reason;
    },
    refresh(): void {
      pause = undefined;
    },
    lastSuccessAt(): number | null {
      const v = read('last_success_at');
      return v === null ? null : Number(v);
    },
    setLastSuccessAt(t: number): void {
      set.run('last_success_at', String(t));
    },
    /** The next number of a named sequence; call inside the transaction that uses it. */
    nextSequence(name: string): number {
      return (seq.get(name) as { value: number }).value;
    },
  };
}

export type MetaRepo = ReturnType<typeof createMetaRepo>;
