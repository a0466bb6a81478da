/**
 * The booth's session: who is on shift (kept on disk, so a restart does not end a shift) and
 * whether a manager has unlocked manager actions with the PIN (never kept: it locks itself after
 * a quiet spell, and on every restart). Too many wrong PINs lock the PIN out for a while: 1 minute
 * after 5, then twice as long after each further 5, up to an hour, until a right PIN. The count and
 * the lockout are kept on disk too: restarting the console does not give a guesser fresh tries.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../../shared/contract/api.ts';
import { logError } from '../services/logger.ts';
import { ConsoleError } from './errors.ts';

export const AUTO_LOCK_MS = 15 * 60 * 1000;
export const PIN_ATTEMPTS = 5;
export const PIN_LOCKOUT_MS = 60 * 1000;
export const PIN_LOCKOUT_MAX_MS = 60 * 60 * 1000;
const KNOWN_MAX = 20;
const FILE = 'console-session.json';

export interface SessionDeps {
  dataDir: string;
  verifyPin(pin: string): boolean;
  hasPin(): boolean;
  setPin(pin: string): void;
  now?: () => number;
  autoLockMs?: number;
  /** Told whenever the session changes (including the idle lock). */
  onChange?: (session: Session) => void;
}

interface PinGuard {
  /** Wrong PINs since the last lockout (or the last right PIN). */
  wrong: number;
  /** Lockouts since the last right PIN: the next one lasts PIN_LOCKOUT_MS × 2^lockouts (capped). */
  lockouts: number;
  lockedOutUntil: number | null;
}

interface Stored {
  operator: string | null;
  shiftStartedAt: number | null;
  knownOperators: string[];
  pin: PinGuard;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

function loadPin(raw: unknown): PinGuard {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof PinGuard, unknown>>;
  return {
    wrong: count(p.wrong),
    lockouts: count(p.lockouts),
    lockedOutUntil: typeof p.lockedOutUntil === 'number' ? p.lockedOutUntil : null,
  };
}

/** How long the lockout after `lockouts` earlier ones lasts. */
export function lockoutMs(lockouts: number): number {
  return Math.min(PIN_LOCKOUT_MAX_MS, PIN_LOCKOUT_MS * 2 ** Math.min(lockouts, 30));
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s >= 120 ? `${Math.ceil(s / 60)} 分钟` : `${s} 秒`;
}

function load(dataDir: string): Stored {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as Partial<Stored>;
    return {
      operator: typeof raw.operator === 'string' && raw.operator ? raw.operator : null,
      shiftStartedAt: typeof raw.shiftStartedAt === 'number' ? raw.shiftStartedAt : null,
      knownOperators: Array.isArray(raw.knownOperators)
        ? raw.knownOperators.filter((s): s is string => typeof s === 'string').slice(0, KNOWN_MAX)
        : [],
      pin: loadPin(raw.pin),
    };
  } catch {
    // No file yet (first start) or an unreadable one: no shift, no lockout; the next save rewrites it.
    return { operator: null, shiftStartedAt: null, knownOperators: [], pin: loadPin(null) };
  }
}

export interface ConsoleSession {
  get(): Session;
  /** A call that is not merely reading: the manager's idle clock starts again. */
  touch(): void;
  isManager(): boolean;
  operator(): string | null;
  /** Who the audit trail names for a manager action: the name given at unlock (李经理 (管理员)), never the guard. */
  managerActor(): string;
  startShift(operator: string): Session;
  endShift(): Session;
  /** `name`: who unlocks, asked at every unlock; kept only while unlocked. */
  unlock(pin: string, name?: string): Session;
  lock(): Session;
  setupPin(pin: string, name?: string): Session;
  close(): void;
}

export function createSession(deps: SessionDeps): ConsoleSession {
  const now = deps.now ?? Date.now;
  const autoLockMs = deps.autoLockMs ?? AUTO_LOCK_MS;
  const stored = load(deps.dataDir);
  let manager = false;
  /** Who unlocked: in memory only, forgotten at every lock (like the unlock itself). */
  let managerName: string | null = null;
  let lastActivity = now();
  const pin = stored.pin;
  let timer: NodeJS.Timeout | null = null;

  function save(): void {
    const path = join(deps.dataDir, FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(stored), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  /** The PIN guard on disk; a folder that cannot be written keeps it in memory only (logged), never blocks the PIN. */
  function savePin(): void {
    try {
      save();
    } catch (e) {
      logError('session.pin', e);
    }
  }

  function snapshot(): Session {
    return {
      operator: stored.operator,
      shiftStartedAt: stored.shiftStartedAt,
      manager,
      managerName: manager ? managerName : null,
      managerPinSet: deps.hasPin(),
      autoLockMs,
      lockedOutUntil: pin.lockedOutUntil !== null && pin.lockedOutUntil > now() ? pin.lockedOutUntil : null,
      knownOperators: [...stored.knownOperators],
    };
  }

  function changed(): Session {
    const s = snapshot();
    deps.onChange?.(s);
    return s;
  }

  function armTimer(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!manager) return;
    timer = setTimeout(checkIdle, Math.max(10, lastActivity + autoLockMs - now()));
    timer.unref();
  }

  function checkIdle(): void {
    if (manager && now() - lastActivity >= autoLockMs) {
      manager = false;
      managerName = null;
      armTimer();
      changed();
    } else {
      armTimer();
    }
  }

  function becomeManager(name: string | undefined): Session {
    manager = true;
    managerName = name?.trim() || null;
    if (pin.wrong !== 0 || pin.lockouts !== 0 || pin.lockedOutUntil !== null) {
      Object.assign(pin, { wrong: 0, lockouts: 0, lockedOutUntil: null });
      savePin();
    }
    lastActivity = now();
    armTimer();
    return changed();
  }

  return {
    get: () => {
      if (manager && now() - lastActivity >= autoLockMs) checkIdle();
      return snapshot();
    },
    touch() {
      if (manager && now() - lastActivity >= autoLockMs) checkIdle();
      lastActivity = now();
    },
    isManager() {
      if (manager && now() - lastActivity >= autoLockMs) checkIdle();
      return manager;
    },
    operator: () => stored.operator,
    managerActor: () => (manager && managerName ? `${managerName} (管理员)` : '管理员'),

    startShift(operator) {
      const name = operator.trim();
      stored.operator = name;
      stored.shiftStartedAt = now();
      stored.knownOperators = [name, ...stored.knownOperators.filter((n) => n !== name)].slice(0, KNOWN_MAX);
      save();
      return changed();
    },

    endShift() {
      stored.operator = null;
      stored.shiftStartedAt = null;
      manager = false;
      managerName = null;
      armTimer();
      save();
      return changed();
    },

    unlock(given, name) {
      if (!deps.hasPin()) throw new ConsoleError('conflict', '尚未设置管理密码, 请先设置');
      if (pin.lockedOutUntil !== null && pin.lockedOutUntil > now()) {
        throw new ConsoleError('locked-out', `密码错误次数过多, 请 ${seconds(pin.lockedOutUntil - now())}后再试`);
      }
      if (!deps.verifyPin(given)) {
        pin.wrong += 1;
        if (pin.wrong >= PIN_ATTEMPTS) {
          const ms = lockoutMs(pin.lockouts);
          Object.assign(pin, { wrong: 0, lockouts: pin.lockouts + 1, lockedOutUntil: now() + ms });
          savePin();
          changed();
          throw new ConsoleError('locked-out', `密码错误次数过多, 请 ${seconds(ms)}后再试`, [
            { field: 'pin', message: '管理密码不正确' },
          ]);
        }
        savePin();
        throw new ConsoleError('wrong-pin', '管理密码不正确', [
          { field: 'pin', message: `管理密码不正确 (还可再试 ${PIN_ATTEMPTS - pin.wrong} 次)` },
        ]);
      }
      return becomeManager(name);
    },

    lock() {
      manager = false;
      managerName = null;
      armTimer();
      return changed();
    },

    setupPin(pin, name) {
      if (deps.hasPin()) throw new ConsoleError('conflict', '管理密码已设置; 修改请在管理员解锁后到设置中进行');
      deps.setPin(pin);
      return becomeManager(name);
    },

    close() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
