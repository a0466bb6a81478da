/** Issue 8, point 8: the manager PIN lockout survives a restart and grows (1 min, 2, 4 … capped at 1 h). */
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../electron/console/errors.ts';
import { createSession, lockoutMs, PIN_LOCKOUT_MAX_MS } from '../../electron/console/session.ts';
import { tempDir } from '../support/sandbox.ts';

const MIN = 60_000;

function session(dataDir: string, clock: { t: number }) {
  return createSession({
    dataDir,
    verifyPin: (p) => p === '2468',
    hasPin: () => true,
    setPin: () => {},
    now: () => clock.t,
  });
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConsoleError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('PIN lockout', () => {
  it('grows: 1, 2, 4 … minutes, capped at an hour', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 40].map(lockoutMs)).toEqual([
      MIN,
      2 * MIN,
      4 * MIN,
      8 * MIN,
      32 * MIN,
      60 * MIN,
      60 * MIN,
      PIN_LOCKOUT_MAX_MS,
    ]);
  });

  it('survives a restart: wrong count and lockout end are on disk; a right PIN resets them', () => {
    const dir = tempDir('pin');
    const clock = { t: 1_000_000 };
    let s = session(dir, clock);
    for (let i = 0; i < 3; i++) expect(code(() => s.unlock('0000'))).toBe('wrong-pin');
    s.close();
    // Restart: two more tries, not five.
    s = session(dir, clock);
    expect(code(() => s.unlock('0000'))).toBe('wrong-pin');
    expect(code(() => s.unlock('0000'))).toBe('locked-out');
    s.close();
    s = session(dir, clock);
    expect(s.get().lockedOutUntil).toBe(clock.t + MIN);
    expect(code(() => s.unlock('2468'))).toBe('locked-out'); // even the right PIN waits
    clock.t += MIN;
    for (let i = 0; i < 4; i++) expect(code(() => s.unlock('0000'))).toBe('wrong-pin');
    expect(code(() => s.unlock('0000'))).toBe('locked-out');
    s.close();
    s = session(dir, clock);
    expect(s.get().lockedOutUntil).toBe(clock.t + 2 * MIN); // doubled, and still after a restart
    clock.t += 2 * MIN - 1;
    expect(code(() => s.unlock('2468'))).toBe('locked-out');
    clock.t += 1;
    expect(code(() => s.unlock('2468'))).toBe('ok');
    s.close();
    s = session(dir, clock);
    // Reset by the right PIN: five tries again, and the next lockout is one minute.
    for (let i = 0; i < 4; i++) expect(code(() => s.unlock('0000'))).toBe('wrong-pin');
    expect(code(() => s.unlock('0000'))).toBe('locked-out');
    expect(s.get().lockedOutUntil).toBe(clock.t + MIN);
    s.close();
  });
});
