/**
 * The booth's session: who is on shift (kept on disk, so a restart does not end a shift) and
 * whether a manager has unlocked manager actions with the PIN (never kept: it locks itself after
 * a quiet spell, and on every restart). Too many wrong PINs lock the PIN out for a while.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../../shared/contract/api.ts';
import { ConsoleError } from './errors.ts';

export const AUTO_LOCK_MS = 15 * 60 * 1000;
export const PIN_ATTEMPTS = 5;
export const PIN_LOCKOUT_MS = 60 * 1000;
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

interface Stored {
  operator: string | null;
  shiftStartedAt: number | null;
  knownOperators: string[];
}

function load(dataDir: string): Stored {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as Partial<Stored>;
    return {
      operator: typeof raw.operator === 'string' && raw.operator ? raw.operator : null,
      shiftStartedAt: typeof raw.shiftStartedAt === 'number' ? raw.shiftStartedAt : null,
      knownOperators: Array.isArray(raw.knownOperators) ? raw.knownOperators.filter((s): s is string => typeof s === 'string').slice(0, KNOWN_MAX) : [],
    };
  } catch {
    return { operator: null, shiftStartedAt: null, knownOperators: [] };
  }
}

export interface ConsoleSession {
  get(): Session;
  /** A call that is not merely reading: the manager's idle clock starts again. */
  touch(): void;
  isManager(): boolean;
  operator(): string | null;
  /** Who the audit trail names for a manager action. */
  managerActor(): string;
  startShift(operator: string): Session;
  endShift(): Session;
  unlock(pin: string): Session;
  lock(): Session;
  setupPin(pin: string): Session;
  close(): void;
}

export function createSession(deps: SessionDeps): ConsoleSession {
  const now = deps.now ?? Date.now;
  const autoLockMs = deps.autoLockMs ?? AUTO_LOCK_MS;
  const stored = load(deps.dataDir);
  let manager = false;
  let lastActivity = now();
  let wrongPins = 0;
  let lockedOutUntil: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  function save(): void {
    const path = join(deps.dataDir, FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(stored), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  function snapshot(): Session {
    return {
      operator: stored.operator,
      shiftStartedAt: stored.shiftStartedAt,
      manager,
      managerPinSet: deps.hasPin(),
      autoLockMs,
      lockedOutUntil: lockedOutUntil !== null && lockedOutUntil > now() ? lockedOutUntil : null,
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
      armTimer();
      changed();
    } else {
      armTimer();
    }
  }

  function becomeManager(): Session {
    manager = true;
    wrongPins = 0;
    lockedOutUntil = null;
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
    managerActor: () => (stored.operator ? `${stored.operator} (管理员)` : '管理员'),

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
      armTimer();
      save();
      return changed();
    },

    unlock(pin) {
      if (!deps.hasPin()) throw new ConsoleError('conflict', '尚未设置管理密码, 请先设置');
      if (lockedOutUntil !== null && lockedOutUntil > now()) {
        const seconds = Math.ceil((lockedOutUntil - now()) / 1000);
        throw new ConsoleError('locked-out', `密码错误次数过多, 请 ${seconds} 秒后再试`);
      }
      if (!deps.verifyPin(pin)) {
        wrongPins += 1;
        if (wrongPins >= PIN_ATTEMPTS) {
          wrongPins = 0;
          lockedOutUntil = now() + PIN_LOCKOUT_MS;
          changed();
          throw new ConsoleError('locked-out', `密码错误次数过多, 请 ${PIN_LOCKOUT_MS / 1000} 秒后再试`, [{ field: 'pin', message: '管理密码不正确' }]);
        }
        throw new ConsoleError('wrong-pin', '管理密码不正确', [{ field: 'pin', message: `管理密码不正确 (还可再试 ${PIN_ATTEMPTS - wrongPins} 次)` }]);
      }
      return becomeManager();
    },

    lock() {
      manager = false;
      armTimer();
      return changed();
    },

    setupPin(pin) {
      if (deps.hasPin()) throw new ConsoleError('conflict', '管理密码已设置; 修改请在管理员解锁后到设置中进行');
      deps.setPin(pin);
      return becomeManager();
    },

    close() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
