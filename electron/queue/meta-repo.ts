/**
 * Small durable facts about the queue: why it is paused, when the platform last took a record, what keys it has minted.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { PauseReason } from '../../shared/contract/queue.ts';

export function createMetaRepo(sql: DatabaseSync) {
  const get = sql.prepare('SELECT value FROM meta WHERE name = ?');
  const set = sql.prepare(
    'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
  );
  const del = sql.prepare('DELETE FROM meta WHERE name = ?');
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
    /** The instant encoded in the last key this database minted (0 before the first). */
    lastKeyInstant(): number {
      return Number(read('key_last_instant') ?? 0);
    },
    setLastKeyInstant(t: number): void {
      set.run('key_last_instant', String(t));
    },
  };
}

export type MetaRepo = ReturnType<typeof createMetaRepo>;
