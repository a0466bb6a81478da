/**
 * The console's settings: preferences in a key-value store (electron-store in Electron, its base
 * `conf` in plain Node), the app secret encrypted, the manager PIN hashed. Nothing here hands the
 * secret out except target(), which only the main process's queue calls.
 */
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../sandbox/server.ts';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  settingsUpdateSchema,
  type PublicSettings,
  type Settings,
  type SettingsUpdate,
} from '../../shared/contract/settings.ts';
import { PLATFORM_HOSTS } from '../../shared/platform/endpoints.ts';
import { FieldIssuesError, toFieldIssues, type FieldIssue } from '../../shared/records/fields.ts';
import type { PlatformTarget } from '../platform/target.ts';
import { INSTALL_ID_PATTERN, randomId, runId } from '../queue/keys.ts';
import { hashPin, verifyPinHash } from './pin.ts';
import type { SecretCipher } from './secret-cipher.ts';
import { createListeners } from '../services/listeners.ts';
import { logError } from '../services/logger.ts';
import { SettingsValueError, type SettingsValueProblem } from '../queue/storage-errors.ts';

/** What electron-store and conf both offer. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file behind the store (both have it), named when a value in it is refused. */
  readonly path?: string;
}

export class SettingsError extends FieldIssuesError {
  constructor(issues: FieldIssue[]) {
    super('设置', issues);
    this.name = 'SettingsError';
  }
}

export interface SettingsService {
  get(): PublicSettings;
  /** The settings alone, from memory (get() also looks at the store for the PIN): for the worker's every pass. */
  values(): Settings;
  /** Validates every field (SettingsError names each bad one); saves nothing unless all are good. */
  update(change: SettingsUpdate): PublicSettings;
  verifyPin(pin: string): boolean;
  hasPin(): boolean;
  /** Where records go now. */
  baseUrl(): string;
  isSandbox(): boolean;
  /** This install's random id (made the first time it is asked for, kept in the store): part of every key it mints. */
  installId(): string;
  /** Counts one more opening of the outbox (kept in the store) and gives its run part for keys. */
  nextRunId(): string;
  /** Main process only: the credentials in force, or why there are none. */
  target(): { target: PlatformTarget | null; problem: string | null };
  onChange(listener: (changedKeys: string[]) => void): () => void;
}

export interface SettingsDeps {
  store: KeyValueStore;
  cipher: SecretCipher;
  /** The embedded sandbox's address, when it runs. */
  sandboxUrl: () => string | null;
}

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function createSettingsService(deps: SettingsDeps): SettingsService {
  const listeners = createListeners<string[]>();
  // The store is read once and kept: the worker asks for settings several times per record.
  let cached: { settings: Settings; secret: string | null } | null = null;

  function current(): Settings {
    return load().settings;
  }

  function secret(): string | null {
    return load().secret;
  }

  function load(): { settings: Settings; secret: string | null } {
    cached ??= { settings: readSettings(), secret: readSecret() };
    return cached;
  }

  let installId: string | null = null;
  function readInstallId(): string {
    const stored = deps.store.get('install.id');
    if (typeof stored === 'string' && INSTALL_ID_PATTERN.test(stored)) return stored;
    const made = randomId(8);
    deps.store.set('install.id', made);
    return made;
  }

  /**
   * The settings as the file has them. A field that is absent takes its default; a value that is there but does not
   * pass (hand-edited, a typo, an unknown name) stops the start with a SettingsValueError naming the file and each bad
   * field, never a silent default: `"platform": "prodution"` must not deliver to the sandbox.
   */
  function readSettings(): Settings {
    const file = deps.store.path ?? 'settings.json';
    const stored = deps.store.get('settings');
    if (stored === undefined) return settingsSchema.parse(DEFAULT_SETTINGS);
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored))
      throw new SettingsValueError(file, [{ field: 'settings', value: stored, message: '不是设置对象' }]);
    const found = stored as Record<string, unknown>;
    const problems: SettingsValueProblem[] = Object.keys(found)
      .filter((k) => !(KEYS as string[]).includes(k))
      .map((k) => ({ field: `settings.${k}`, value: found[k], message: '未知的设置项' }));
    const raw: Record<string, unknown> = {};
    for (const k of KEYS) raw[k] = found[k] === undefined ? DEFAULT_SETTINGS[k] : found[k];
    const parsed = settingsSchema.safeParse(raw);
    for (const issue of parsed.error?.issues ?? []) {
      let value: unknown = found;
      for (const step of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[step];
      problems.push({ field: ['settings', ...issue.path].join('.'), value, message: issue.message });
    }
    if (!parsed.success || problems.length > 0) throw new SettingsValueError(file, problems);
    return parsed.data;
  }

  function readSecret(): string | null {
    const stored = deps.store.get('secrets.appSecret');
    if (typeof stored !== 'string') return null;
    try {
      return deps.cipher.decrypt(stored);
    } catch (e) {
      // Kept encrypted with a key this PC no longer has (key file lost, another Windows user): the settings then
      // say no secret is set and ask for it; the stored value stays as it was.
      logError(
        'settings.secret',
        `已保存的密钥无法解密, 请在设置中重新输入: ${e instanceof Error ? e.message : String(e)}`,
      );
      return null;
    }
  }

  function baseUrl(s: Settings): string {
    switch (s.platform) {
      case 'sandbox':
        return deps.sandboxUrl() ?? '';
      case 'integration':
        return PLATFORM_HOSTS.integration;
      case 'production':
        return PLATFORM_HOSTS.production;
      case 'custom':
        return s.customBaseUrl;
    }
  }

  const service: SettingsService = {
    values: () => current(),
    get() {
      return {
        ...current(),
        secretSet: secret() !== null,
        managerPinSet: typeof deps.store.get('secrets.managerPin') === 'string',
      };
    },

    update(change) {
      const parsed = settingsUpdateSchema.safeParse(change);
      if (!parsed.success) throw new SettingsError(toFieldIssues(parsed.error));
      const { appSecret, managerPin, ...prefs } = parsed.data;
      const next = { ...current(), ...prefs };
      if (next.platform === 'custom' && !next.customBaseUrl)
        throw new SettingsError([{ field: 'customBaseUrl', message: '选择自定义地址时必填' }]);
      const changed: string[] = [];
      for (const [k, v] of Object.entries(prefs)) {
        if (v === undefined) continue;
        deps.store.set(`settings.${k}`, v);
        changed.push(k);
      }
      if (appSecret !== undefined) {
        deps.store.set('secrets.appSecret', deps.cipher.encrypt(appSecret));
        changed.push('appSecret');
      }
      if (managerPin !== undefined) {
        deps.store.set('secrets.managerPin', hashPin(managerPin));
        changed.push('managerPin');
      }
      cached = null;
      listeners.emit(changed);
      return service.get();
    },

    verifyPin: (pin) => verifyPinHash(pin, deps.store.get('secrets.managerPin') as string | undefined),
    hasPin: () => typeof deps.store.get('secrets.managerPin') === 'string',
    baseUrl: () => baseUrl(current()),
    isSandbox: () => current().platform === 'sandbox',
    installId() {
      installId ??= readInstallId();
      return installId;
    },
    nextRunId() {
      const runs = Number(deps.store.get('install.runs') ?? 0);
      const next = Number.isSafeInteger(runs) && runs >= 0 ? runs + 1 : 1;
      deps.store.set('install.runs', next);
      return runId(next);
    },

    target() {
      const s = current();
      const url = baseUrl(s);
      const common = {
        appId: s.appId || undefined,
        apiType: s.apiType || undefined,
        encodingUrl: s.encodingUrl,
        mode: s.mode,
      };
      if (s.platform === 'sandbox') {
        if (!url) return { target: null, problem: '内置沙箱未启动' };
        // The sandbox's own park and secret, until a manager enters others (e.g. to try a wrong secret).
        return {
          target: {
            baseUrl: url,
            parkUuid: s.parkUuid || SANDBOX_DEFAULT_PARK,
            appSecret: secret() ?? SANDBOX_DEFAULT_SECRET,
            ...common,
          },
          problem: null,
        };
      }
      const missing = [!s.parkUuid && 'park_uuid', secret() === null && '密钥 (app_secret)', !url && '平台地址'].filter(
        Boolean,
      );
      if (missing.length > 0) return { target: null, problem: `请在设置中填写 ${missing.join('、')}` };
      return { target: { baseUrl: url, parkUuid: s.parkUuid, appSecret: secret()!, ...common }, problem: null };
    },

    onChange: listeners.add,
  };
  return service;
}
