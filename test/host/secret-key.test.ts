/**
 * The key that encrypts the app secret in the desktop program (electron/host/secret-key.ts): kept with safeStorage,
 * the same key on every start, never replaced when it does not decrypt, no "encryption" with Electron's built-in
 * password on Linux, and a folder's plain key file put under safeStorage (so the secret stored with it still reads).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey, PLAIN_KEY_FILE, SECRET_KEY_FILE, SecretKeyError } from '../../electron/host/secret-key.ts';
import { aesGcmCipher, keyFileCipher } from '../../electron/settings/secret-cipher.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'booth-secret-key-'));
  dirs.push(d);
  return d;
};

function fakeSafeStorage(backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret', available = true) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(`SAFE:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => {
      const t = b.toString();
      if (!t.startsWith('SAFE:')) throw new Error('cannot decrypt');
      return Buffer.from(t.slice(5), 'hex').toString();
    },
  };
}

describe('the secret key', () => {
  it('is made once, kept by safeStorage, and the same on the next start', () => {
    const dir = folder();
    const first = loadSecretKey(dir, fakeSafeStorage(), 'win32')!;
    expect(first).toHaveLength(32);
    expect(readFileSync(join(dir, SECRET_KEY_FILE), 'utf8')).toMatch(/^SAFE:/);
    expect(loadSecretKey(dir, fakeSafeStorage(), 'win32')).toEqual(first);
  });

  it('is not "encrypted" with Electron\'s built-in password on Linux without a keyring', () => {
    const dir = folder();
    expect(loadSecretKey(dir, fakeSafeStorage('basic_text'), 'linux')).toBeNull();
    expect(existsSync(join(dir, SECRET_KEY_FILE))).toBe(false);
    expect(loadSecretKey(dir, fakeSafeStorage('basic_text'), 'win32')).not.toBeNull();
  });

  it('takes over the plain key file when encryption arrives, so the stored secret still decrypts', () => {
    const dir = folder();
    const stored = keyFileCipher(dir).encrypt('vendor-secret-0001');
    const key = loadSecretKey(dir, fakeSafeStorage(), 'linux')!;
    expect(aesGcmCipher(key, 'safeStorage').decrypt(stored)).toBe('vendor-secret-0001');
    expect(existsSync(join(dir, PLAIN_KEY_FILE))).toBe(false);
  });

  it('is never replaced when it does not decrypt', () => {
    const dir = folder();
    writeFileSync(join(dir, SECRET_KEY_FILE), 'from another PC');
    expect(() => loadSecretKey(dir, fakeSafeStorage(), 'win32')).toThrow(SecretKeyError);
    expect(() => loadSecretKey(dir, fakeSafeStorage('gnome_libsecret', false), 'win32')).toThrow(SecretKeyError);
    expect(readFileSync(join(dir, SECRET_KEY_FILE), 'utf8')).toBe('from another PC');
  });
});
