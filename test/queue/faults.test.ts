/** The queue against a failing platform: everything arrives, once, at no more than its pace. */
import { describe, expect, it } from 'vitest';
import { updateRecord } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';

const { sandbox, target } = useSandbox();

describe('fault injection', () => {
  it('delivers everything through 5xx, garbage, drops, lost answers, slow answers and timeouts', async () => {
    const h = openHarness(target(), { concurrency: 2, backoffBaseMs: 10, backoffCapMs: 80, stuckAfterAttempts: 100 });
    sandbox().setFaults([
      { kind: 'error', httpStatus: 500, rate: 0.12 },
      { kind: 'error', httpStatus: 503, rate: 0.12 },
      { kind: 'garbage', rate: 0.08 },
      { kind: 'drop', rate: 0.08 },
      { kind: 'drop-after-accept', rate: 0.1 },
      { kind: 'delay', delayMs: 60, rate: 0.1 },
      { kind: 'hang', rate: 0.04, count: 3 },
    ]);
    const records = [...Array(40)].map(() => updateRecord());
    for (const r of records) h.queue.enqueue('update', r);
    h.queue.start();
    await h.queue.idle();
    const state = sandbox().state();
    const faults = new Set(state.requests.map((r) => r.fault).filter(Boolean));
    expect([...faults].sort()).toEqual(['delay', 'drop', 'drop-after-accept', 'error', 'garbage', 'hang']);
    // Every record arrived, exactly once, with exactly the content typed.
    expect(state.accepted.update.map((r) => r.key).sort()).toEqual(records.map((r) => r.flow_no).sort());
    for (const stored of state.accepted.update) {
      const typed = records.find((r) => r.flow_no === stored.key)!;
      expect(stored.fields).toMatchObject(Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, String(v)])));
    }
    expect(state.repeats.length).toBeGreaterThan(0);
    expect(state.repeats.every((r) => r.sameContent)).toBe(true);
    expect(h.queue.status().counts).toMatchObject({ accepted: 40, waiting: 0, attention: 0 });
    const retries = h.queue.queryLog({ outcome: 'retry', limit: 1000 }).rows;
    expect(retries.length).toBeGreaterThan(5);
    expect(retries.some((r) => r.error?.startsWith('TIMEOUT'))).toBe(true);
    await h.close();
  });

  const authPausesTheWholeQueue =
    'a 401 in the middle pauses the whole queue at once, burns nothing, and resumes when a manager says so';
  it(authPausesTheWholeQueue, async () => {
    const h = openHarness(target(), { concurrency: 2, ratePerSecond: 50 });
    for (let i = 0; i < 30; i++) h.queue.enqueue('update', updateRecord());
    // The secret goes bad just before the sixth send leaves (the event comes before the request), whatever
    // the machine's speed: the rate ceiling lets a burst through, fast enough to finish before a poll.
    let sends = 0;
    h.queue.subscribe((e) => {
      if (e.type === 'record' && e.record.state === 'sending' && ++sends === 6)
        sandbox().setFaults([{ kind: 'error', httpStatus: 401 }]);
    });
    h.queue.start();
    await until(() => h.queue.status().paused !== null);
    await until(() => h.queue.status().inFlight === 0);
    const receivedAtPause = sandbox().state().received;
    const status = h.queue.status();
    expect(status.paused).toMatchObject({ kind: 'auth', code: '401' });
    const auths = h.queue.queryLog({ outcome: 'auth' }).rows;
    expect(auths.length).toBeGreaterThanOrEqual(1);
    expect(auths.length).toBeLessThanOrEqual(2); // only what was already in flight
    await new Promise((r) => setTimeout(r, 300));
    expect(sandbox().state().received).toBe(receivedAtPause); // nothing sent while paused
    expect(status.counts.attention + status.counts.cancelled).toBe(0); // nothing burned
    expect(h.events.some((e) => e.type === 'status' && e.status.paused?.kind === 'auth')).toBe(true);
    sandbox().setFaults([]);
    h.queue.resume('王经理');
    await h.queue.idle();
    expect(h.queue.status().counts.accepted).toBe(30);
    expect(sandbox().state().accepted.update).toHaveLength(30);
    expect(h.queue.audit()[0]).toMatchObject({ action: 'resume', actor: '王经理' });
    await h.close();
  });

  it('never retries faster than its backoff, flags a record as stuck after N attempts and keeps retrying', async () => {
    const base = 40;
    const cap = 320;
    const h = openHarness(target(), { backoffBaseMs: base, backoffCapMs: cap, stuckAfterAttempts: 3 });
    sandbox().setFaults([{ kind: 'error', httpStatus: 503, count: 6 }]);
    const { id, key } = h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await until(() => h.queue.status().stuck === 1);
    expect(h.queue.get(id)).toMatchObject({ state: 'waiting', stuck: true });
    await h.queue.idle();
    expect(h.queue.get(id)).toMatchObject({ state: 'accepted', attempts: 7 });
    const attempts = h.queue.queryLog({ key }).rows.reverse();
    expect(attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry', 'retry', 'accepted']);
    for (let n = 1; n < attempts.length; n++) {
      const gap = attempts[n]!.at - attempts[n - 1]!.at;
      const floor = Math.min(cap, base * 2 ** (n - 1));
      expect(gap, `gap before attempt ${n + 1}`).toBeGreaterThanOrEqual(floor);
    }
    await h.close();
  });

  it('keeps under the rate ceiling per park', async () => {
    const h = openHarness(target(), { concurrency: 4, ratePerSecond: 20 });
    for (let i = 0; i < 30; i++) h.queue.enqueue('update', updateRecord());
    h.queue.start();
    await h.queue.idle();
    const starts = h.queue
      .queryLog({ limit: 100 })
      .rows.map((r) => r.at)
      .sort((a, b) => a - b);
    // A bucket of 20 may go at once; the other 10 take at least half a second at 20 a second.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(450);
    for (let i = 0; i + 21 < starts.length; i++) expect(starts[i + 21]! - starts[i]!).toBeGreaterThanOrEqual(50);
    await h.close();
  });
});
