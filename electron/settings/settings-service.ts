/**
 * The console's settings: preferences in a key-value store (electron-store in Electron, its base
 * `conf` in plain Node), the app secret encrypted, the manager PIN hashed. Nothing here hands the
 * secret out except target(), which only the main process's queue calls.
 */
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET } from '../sandbox/server.ts';
import {
  CREDENTIAL_KEYS,
  DEFAULT_SETTINGS,
  PLATFORM_KINDS,
  settingsSchema,
  settingsUpdateSchema,
  type PlatformCredentials,
  type PlatformKind,
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
import { logError, maskSecret } from '../services/logger.ts';
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
  /** Removes the stored secret of one platform (default: the one in force). False when there was none. */
  clearSecret(platform?: PlatformKind): boolean;
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

/**
 * Each platform keeps its own credentials. Those of the platform in force are where they always were
 * (`settings.parkUuid`, `settings.appId`, `settings.apiType`, `secrets.appSecret`), so a settings file from before,
 * and a hand-edited one, mean what they meant: today's park and secret belong to the platform selected. Those of the
 * other platforms wait in `credentials.<platform>` and `secrets.platforms.<platform>` (encrypted) and change places at
 * a switch: going back to the sandbox never takes the vendor's secret along.
 */
const ACTIVE_SECRET = 'secrets.appSecret';
const keptSecret = (k: PlatformKind) => `secrets.platforms.${k}`;
const keptCredentials = (k: PlatformKind) => `credentials.${k}`;
const NO_CREDENTIALS: PlatformCredentials = { parkUuid: '', appId: '', apiType: '' };

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
    const stored = deps.store.get(ACTIVE_SECRET);
    if (typeof stored !== 'string') return null;
    try {
      const plain = deps.cipher.decrypt(stored);
      maskSecret(plain);
      return plain;
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

  /** A platform's kept credentials (not the one in force); what is not a string reads as empty. */
  function keptCredentialsOf(k: PlatformKind): PlatformCredentials {
    const raw = deps.store.get(keptCredentials(k));
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const out = { ...NO_CREDENTIALS };
    for (const key of CREDENTIAL_KEYS) if (typeof o[key] === 'string') out[key] = o[key];
    return out;
  }

  /** Whether a platform has a secret stored (readable or not: one that no longer decrypts can still be removed). */
  function hasStoredSecret(k: PlatformKind): boolean {
    return typeof deps.store.get(k === current().platform ? ACTIVE_SECRET : keptSecret(k)) === 'string';
  }

  /** The platform in force becomes `to`: its credentials go to the side, those kept for `to` come into force. */
  function switchPlatform(from: PlatformKind, to: PlatformKind): void {
    const s = current();
    deps.store.set(keptCredentials(from), { parkUuid: s.parkUuid, appId: s.appId, apiType: s.apiType });
    const leaving = deps.store.get(ACTIVE_SECRET);
    if (typeof leaving === 'string') deps.store.set(keptSecret(from), leaving);
    else deps.store.delete(keptSecret(from));
    const coming = keptCredentialsOf(to);
    for (const key of CREDENTIAL_KEYS) deps.store.set(`settings.${key}`, coming[key]);
    const comingSecret = deps.store.get(keptSecret(to));
    if (typeof comingSecret === 'string') deps.store.set(ACTIVE_SECRET, comingSecret);
    else deps.store.delete(ACTIVE_SECRET);
    deps.store.delete(keptCredentials(to));
    deps.store.delete(keptSecret(to));
  }

  const service: SettingsService = {
    values: () => current(),
    get() {
      const s = current();
      const platforms = Object.fromEntries(
        PLATFORM_KINDS.map((k) => [
          k,
          {
            ...(k === s.platform ? { parkUuid: s.parkUuid, appId: s.appId, apiType: s.apiType } : keptCredentialsOf(k)),
            secretSet: k === s.platform ? secret() !== null : hasStoredSecret(k),
          },
        ]),
      ) as PublicSettings['platforms'];
      return {
        ...s,
        secretSet: secret() !== null,
        secretStorage: deps.cipher.kind === 'safeStorage' ? 'system' : 'keyfile',
        managerPinSet: typeof deps.store.get('secrets.managerPin') === 'string',
        platforms,
      };
    },

    update(change) {
      // Masked in the log from now on, even when the change is refused (an error may quote what was typed).
      if (typeof change.appSecret === 'string') maskSecret(change.appSecret);
      const parsed = settingsUpdateSchema.safeParse(change);
      if (!parsed.success) throw new SettingsError(toFieldIssues(parsed.error));
      // keepSecretInKeyFile is the contract's question (electron/console/handlers.ts): here a secret is always kept.
      const { appSecret, managerPin, keepSecretInKeyFile: _asked, ...prefs } = parsed.data;
      const next = { ...current(), ...prefs };
      if (next.platform === 'custom' && !next.customBaseUrl)
        throw new SettingsError([{ field: 'customBaseUrl', message: '选择自定义地址时必填' }]);
      const changed: string[] = [];
      const from = current().platform;
      if (prefs.platform !== undefined && prefs.platform !== from) {
        switchPlatform(from, prefs.platform);
        changed.push(...CREDENTIAL_KEYS, 'appSecret');
      }
      // The credentials given are the ones of the platform in force after this change.
      for (const [k, v] of Object.entries(prefs)) {
        if (v === undefined) continue;
        deps.store.set(`settings.${k}`, v);
        if (!changed.includes(k)) changed.push(k);
      }
      if (appSecret !== undefined) {
        deps.store.set(ACTIVE_SECRET, deps.cipher.encrypt(appSecret));
        if (!changed.includes('appSecret')) changed.push('appSecret');
      }
      if (managerPin !== undefined) {
        deps.store.set('secrets.managerPin', hashPin(managerPin));
        changed.push('managerPin');
      }
      cached = null;
      listeners.emit(changed);
      return service.get();
    },

    clearSecret(platform) {
      const k = platform ?? current().platform;
      if (!hasStoredSecret(k)) return false;
      deps.store.delete(k === current().platform ? ACTIVE_SECRET : keptSecret(k));
      cached = null;
      listeners.emit(['appSecret']);
      return true;
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
