/**
 * How the app secret is kept at rest. In Electron: safeStorage (DPAPI on Windows), wired in
 * electron/host. In plain Node (CLI, preview host, tests): AES-256-GCM with a key file beside the
 * data, readable only by its owner: it keeps the secret out of settings files and backups of them,
 * not from someone who can read the whole data folder.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretCipher {
  readonly kind: 'safeStorage' | 'keyfile';
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

export function keyFileCipher(dataDir: string): SecretCipher {
  const path = join(dataDir, 'secret.key');
  let key: Buffer;
  if (existsSync(path)) {
    key = readFileSync(path);
  } else {
    mkdirSync(dataDir, { recursive: true });
    key = randomBytes(32);
    writeFileSync(path, key, { mode: 0o600 });
  }
  return aesGcmCipher(key, 'keyfile');
}

/**
 * AES-256-GCM under a 32-byte key: the key file's (kind keyfile), or one the Electron host keeps encrypted with
 * safeStorage and hands to the backend thread (kind safeStorage: a worker thread cannot call safeStorage itself).
 */
export function aesGcmCipher(key: Uint8Array, kind: SecretCipher['kind']): SecretCipher {
  if (key.byteLength !== 32) throw new Error('密钥长度须为 32 字节');
  return {
    kind,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      const raw = Buffer.from(stored, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
