/**
 * The key that encrypts the app secret (BackendOptions.secretKey): 32 random bytes, kept in
 * `<userData>/secret-key.safe` encrypted with safeStorage (DPAPI on Windows: only this Windows user on this PC can
 * read it), as Signal Desktop keeps its database key. Where the OS offers no encryption the backend gets null and
 * keeps its own key file (the settings screen says so and asks the manager first).
 *
 * A key file that does not decrypt is never replaced: the app secret stored with it would be lost for good. The
 * console stops with a box that says why and what to do.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';

export const SECRET_KEY_FILE = 'secret-key.safe';
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
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
): Uint8Array | null {
  const path = join(userData, SECRET_KEY_FILE);
  const available = safeStorage.isEncryptionAvailable();
  if (!existsSync(path)) {
    if (!available) return null;
    const key = randomBytes(KEY_BYTES);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    renameSync(tmp, path);
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
