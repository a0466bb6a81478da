/**
 * Every contract method, implemented over the main-process services. Both hosts (Electron IPC and
 * the preview host) call `call(name, input)`: the input is checked with the method's zod schema
 * here, manager-only methods are refused here unless a manager unlocked with the PIN, and the
 * answer is always a value ({ ok, value } or { ok: false, error }), never a stack trace.
 */
import {
  API,
  reachedPlatform,
  type ApiResult,
  type ConsoleEvent,
  type MethodName,
  type OutputOf,
  type ParsedInputOf,
  type RecentSerial,
} from '../../shared/contract/api.ts';
import { isMethodName } from '../../shared/contract/methods.ts';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { normalizePlate } from '../../shared/records/plate.ts';
import type { ConsoleServices } from '../services/open.ts';
import { exportLogCsv } from './log-export.ts';
import { ConsoleError, toApiError } from './errors.ts';
import { releaseToRecord } from './release.ts';
import { scrubSecret } from './scrub.ts';
import { createSession, type ConsoleSession } from './session.ts';
import { targetOf } from './target.ts';
import { createListeners } from '../services/listeners.ts';
import type { FileSource } from '../../shared/contract/host.ts';
import { createVipHandlers } from './vip.ts';
import { createExitHandlers } from './exit.ts';
import { requireKeyFileConsent } from './secret-consent.ts';
import { exportSupportLogs } from './support-logs.ts';

export interface ConsoleOptions {
  now?: () => number;
  /** The manager's idle lock (default 15 minutes). */
  autoLockMs?: number;
  /** The files the host's page picked (spreadsheets to import, exit photos); none: both are refused. */
  files?: FileSource;
}

export interface BoothConsole {
  call(method: string, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: ConsoleEvent) => void): () => void;
  readonly session: ConsoleSession;
  close(): void;
}

type Handlers = { [M in MethodName]: (input: ParsedInputOf<M>) => OutputOf<M> | Promise<OutputOf<M>> };

/** The most rows the queue's log query returns at once. */
const STORE_PAGE = 1000;

export const MANAGER_REQUIRED = '此操作需要管理员权限: 请在「交班」页输入管理密码解锁';
export const NOT_SET_UP = '控制台尚未完成首次设置: 请安装人员在「首次设置」页设置管理密码、岗亭编号和上传平台';
export const SHIFT_REQUIRED = '请先在「交班」页开始交班 (填写值班人姓名)';

export function createConsole(services: ConsoleServices, options: ConsoleOptions = {}): BoothConsole {
  const { queue, settings } = services;
  const listeners = createListeners<ConsoleEvent>();
  const emit = listeners.emit;

  const session = createSession({
    dataDir: services.dataDir,
    verifyPin: (pin) => settings.verifyPin(pin),
    hasPin: () => settings.hasPin(),
    setPin: (pin) => {
      settings.update({ managerPin: pin });
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.autoLockMs !== undefined ? { autoLockMs: options.autoLockMs } : {}),
    onChange: (s) => emit({ type: 'session', session: s }),
  });

  const latest = queue.queryLog({ limit: 1 }).rows[0];
  let online: boolean | null = latest ? reachedPlatform(latest) : null;
  let lastAttemptAt: number | null = latest?.at ?? null;

  const unsubscribeQueue = queue.subscribe((event) => {
    if (event.type === 'log') {
      online = reachedPlatform(event.row);
      lastAttemptAt = event.row.at;
    }
    emit(event);
  });

  function operator(): string {
    const name = session.operator();
    if (!name) throw new ConsoleError('shift-required', SHIFT_REQUIRED);
    return name;
  }

  function settingsChanged(): void {
    emit({ type: 'settings', settings: settings.get(), target: targetOf(settings) });
  }

  const vip = createVipHandlers({
    queue,
    settings,
    session,
    dataDir: services.dataDir,
    files: options.files ?? null,
    emit,
  });

  const exit = createExitHandlers({
    queue,
    exits: services.exits,
    dataDir: services.dataDir,
    files: options.files ?? null,
    operator,
    ...(options.now ? { now: options.now } : {}),
  });

  const handlers: Handlers = {
    ...vip,
    ...exit,
    getSession: () => session.get(),
    startShift: ({ operator: name }) => session.startShift(name),
    endShift: () => session.endShift(),
    unlockManager: ({ pin, name }) => session.unlock(pin, name),
    lockManager: () => session.lock(),
    setupPin: ({ pin, name }) => {
      const s = session.setupPin(pin, name);
      settingsChanged();
      return s;
    },

    completeSetup: ({ pin, name, ...choices }) => {
      if (settings.hasPin())
        throw new ConsoleError('conflict', '控制台已完成首次设置; 修改请在管理员解锁后到设置中进行');
      // A real platform needs its credentials now: a console set up without them could not send anything.
      if (choices.platform !== 'sandbox') {
        const missing = (['parkUuid', 'appSecret'] as const).filter((k) => !choices[k]?.trim());
        if (missing.length > 0) {
          throw new ConsoleError(
            'invalid',
            '请填写平台的 park_uuid 和密钥',
            missing.map((field) => ({ field, message: '选择 P云 平台时必填' })),
          );
        }
      }
      requireKeyFileConsent(choices, settings.get().secretStorage);
      // The settings first: a bad field refuses the whole setup with nothing saved; the PIN, set last, marks it done.
      settings.update(choices);
      const s = session.setupPin(pin, name);
      settingsChanged();
      return s;
    },

    getStatus: () => ({ queue: queue.status(), target: targetOf(settings), online, lastAttemptAt }),
    getSettings: () => settings.get(),
    updateSettings: (change) => {
      requireKeyFileConsent(change, settings.get().secretStorage);
      const before = settings.get().managerPinSet;
      const result = settings.update(change);
      settingsChanged();
      if (result.managerPinSet !== before) emit({ type: 'session', session: session.get() });
      return result;
    },

    clearSecret: ({ platform }) => {
      settings.clearSecret(platform);
      settingsChanged();
      return settings.get();
    },

    submitRelease: (form) => {
      const who = operator();
      const { id, key } = queue.enqueue('update', releaseToRecord(form, { operator: who }), { actor: who });
      return { id, flowNo: key, record: queue.get(id) };
    },

    recentSerials: ({ plate }) => {
      const rows = queue.queryLog({ plate: normalizePlate(plate), limit: 300 }).rows;
      const seen = new Set<string>();
      const out: RecentSerial[] = [];
      for (const row of rows) {
        if (row.endpoint === 'vip-recharge') continue;
        const stored = queue.get(row.recordId)?.record.parking_serial;
        const serial = typeof stored === 'string' ? stored : row.fields.parking_serial;
        if (!serial || seen.has(serial)) continue;
        seen.add(serial);
        out.push({ parkingSerial: serial, plate: row.plate, endpoint: row.endpoint, at: row.at });
        if (out.length >= 10) break;
      }
      return out;
    },

    queryLog: ({ limit, ...query }) => {
      // The contract allows bigger pages than the store's (fewer round trips while scrolling far).
      const want = limit ?? 100;
      const rows: PushLogRow[] = [];
      let beforeId = query.beforeId;
      let next: number | null = null;
      while (rows.length < want) {
        const page = queue.queryLog({
          ...query,
          limit: Math.min(STORE_PAGE, want - rows.length),
          ...(beforeId !== undefined ? { beforeId } : {}),
        });
        rows.push(...page.rows);
        next = page.nextBeforeId;
        if (next === null) break;
        beforeId = next;
      }
      return { rows, nextBeforeId: next };
    },

    // Written into the data folder a page at a time; the host saves the file (log-export.ts).
    exportLogCsv: (filter) => exportLogCsv(queue, services.dataDir, filter, settings.get().timeZone),

    listRecords: ({ states, endpoint, stuck, limit }) => {
      const list = queue.list({
        ...(states ? { states } : {}),
        ...(endpoint ? { endpoint } : {}),
        limit: limit ?? 200,
      });
      return stuck === undefined ? list : list.filter((r) => r.stuck === stuck);
    },

    getRecord: ({ id }) => {
      const r = queue.get(id);
      if (!r) throw new ConsoleError('not-found', `记录 #${id} 不存在`);
      return r;
    },

    resubmitRecord: ({ id, changes }) => {
      const who = operator();
      const current = queue.get(id);
      if (!current) throw new ConsoleError('not-found', `记录 #${id} 不存在`);
      if (!changes) return queue.resubmit(id, who);
      const edited: Record<string, unknown> = { ...current.record };
      for (const [field, value] of Object.entries(changes)) {
        if (value === null || value === '') delete edited[field];
        else edited[field] = value;
      }
      return queue.resubmit(id, who, edited);
    },

    // Shift access, like resubmitting: the audit names the guard on shift.
    retryNow: ({ id }) => ({ retried: queue.retryNow(operator(), id) }),

    cancelRecord: ({ id, reason }) => queue.cancel(id, session.managerActor(), reason),
    pauseQueue: ({ reason }) => {
      queue.pause(session.managerActor(), reason);
      return queue.status();
    },
    resumeQueue: () => {
      queue.resume(session.managerActor());
      return queue.status();
    },

    listAudit: (input) => queue.audit(input?.recordId),

    // In-process there is no host to speak of; the backend thread's client answers with the host's own notices.
    hostNotices: () => [],
    exportSupportLogs: () => exportSupportLogs(services.dataDir, settings.values()),
  };

  function checkAccess(name: MethodName): void {
    const access = API[name].access;
    // Before the installer's first-start setup nothing of the booth's own work is taken (the page says so too).
    if ((access !== 'open' || name === 'startShift') && !settings.hasPin()) {
      throw new ConsoleError('not-set-up', NOT_SET_UP);
    }
    if (access === 'manager' && !session.isManager()) throw new ConsoleError('manager-required', MANAGER_REQUIRED);
    if (access === 'shift' && !session.operator()) throw new ConsoleError('shift-required', SHIFT_REQUIRED);
  }

  async function call(name: string, input: unknown): Promise<ApiResult<unknown>> {
    // Whatever the caller typed as a new secret is never echoed back, not even inside an error.
    const typedSecret = input && typeof input === 'object' ? (input as { appSecret?: unknown }).appSecret : undefined;
    let result: ApiResult<unknown>;
    try {
      if (!isMethodName(name)) throw new ConsoleError('unknown-method', `未知的操作: ${String(name).slice(0, 40)}`);
      checkAccess(name);
      if (!API[name].passive) session.touch();
      const parsed = API[name].input.safeParse(input);
      if (!parsed.success) throw parsed.error;
      const handler = handlers[name] as (input: unknown) => unknown;
      result = { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      result = { ok: false, error: toApiError(e) };
    }
    return typeof typedSecret === 'string' ? scrubSecret(result, typedSecret) : result;
  }

  return {
    call,
    subscribe: listeners.add,
    session,
    close() {
      unsubscribeQueue();
      session.close();
      listeners.clear();
    },
  };
}
