/**
 * The key that encrypts the app secret (BackendOptions.secretKey): 32 random bytes, kept in
 * `<userData>/secret-key.safe` encrypted with safeStorage (DPAPI on Windows: only this Windows user on this PC can
 * read it), as Signal Desktop keeps its database key. Where the OS offers no encryption the backend gets null and
 * keeps its own key file (the settings screen says so and asks the manager first).
 *
 * A key file that does not decrypt is never replaced: the app secret stored with it would be lost for good. The
 * console stops with a box that says why and what to do.
 *
 * Linux without a keyring: Electron then "encrypts" with a password built into it (storage backend basic_text), which
 * protects nothing; that counts as no encryption. A folder that had no encryption before (the backend's own key file,
 * secret.key) and has it now keeps its key: that key is put under safeStorage and the plain key file removed, so the
 * secret stored with it still decrypts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';

export const SECRET_KEY_FILE = 'secret-key.safe';
/** The backend's own key file where the OS offers no encryption (electron/settings/secret-cipher.ts). */
export const PLAIN_KEY_FILE = 'secret.key';

type SafeStorageUse = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Whether safeStorage really encrypts (DPAPI, Keychain, a Linux keyring), not with a password built into Electron. */
export function osEncryption(safeStorage: SafeStorageUse, platform: NodeJS.Platform = process.platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
}
const KEY_BYTES = 32;

export class SecretKeyError extends Error {
  readonly title = '岗亭控制台无法启动: 密钥文件无法解密';
}

function unreadable(path: string, why: string): SecretKeyError {
  return new SecretKeyError(
    [
      `密钥文件 ${path} 无法用当前 Windows 用户解密 (${why})。`,
      '它保护着已保存的平台密钥 (app_secret); 控制台不会替换它, 否则该密钥将永久无法读取。',
      '常见原因: 数据文件夹是从另一台电脑或另一个 Windows 用户复制来的, 或该用户的密码被管理员强制重置。',
      '处理办法: 请用原来的 Windows 用户登录本机后再打开控制台。若无法恢复, 请把这个文件改名或移走, ' +
        '重新打开控制台, 然后由管理员在 设置 中重新输入平台密钥。已保存的记录不受影响。',
    ].join('\n\n'),
  );
}

/**
 * The unwrapped key, made on first use; null when the OS offers no encryption and no key file exists. Throws
 * SecretKeyError when a key file exists that cannot be decrypted (or encryption is gone). Call after app ready.
 */
export function loadSecretKey(
  userData: string,
  safeStorage: SafeStorageUse,
  platform: NodeJS.Platform = process.platform,
): Uint8Array | null {
  const path = join(userData, SECRET_KEY_FILE);
  const available = osEncryption(safeStorage, platform);
  if (!existsSync(path)) {
    if (!available) return null;
    const plainPath = join(userData, PLAIN_KEY_FILE);
    const plain = existsSync(plainPath) ? readFileSync(plainPath) : null;
    const key = plain?.length === KEY_BYTES ? plain : randomBytes(KEY_BYTES);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    renameSync(tmp, path);
    // The key is kept by safeStorage now: the plain copy would let anyone who reads the folder decrypt the secret.
    if (plain) rmSync(plainPath, { force: true });
    return new Uint8Array(key);
  }
  if (!available) throw unreadable(path, '本机的系统加密 (Windows 数据保护) 当前不可用');
  let text: string;
  try {
    text = safeStorage.decryptString(readFileSync(path));
  } catch (e) {
    throw unreadable(path, e instanceof Error ? e.message : String(e));
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw unreadable(path, '内容不是控制台的密钥');
  }
  return new Uint8Array(key);
}
