/**
 * A running console and the CLI on one data folder: the worker looks at the database every few
 * seconds, so a record that `enqueue` adds from another process is sent even when the console's
 * own outbox was empty.
 */
import { expect, it } from 'vitest';
import { openHarness, until } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';
import { updateRecord } from '../fixtures/records.ts';
import { runEnqueue, tempDir } from './cli-helpers.ts';

const { sandbox, target } = useSandbox();

it('a running worker sends a record that the CLI added from another process', async () => {
  const tmp = tempDir('other-process-');
  const console_ = openHarness(target(), {}, tmp.dir);
  try {
    console_.queue.start();
    await console_.queue.idle();
    const r = await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), tmp.dir);
    expect(r.code).toBe(0);
    await until(() => sandbox().state().accepted.update.length === 1, 10_000);
  } finally {
    await console_.close();
    tmp.remove();
  }
});
