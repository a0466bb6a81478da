/**
 * A new app secret on a PC whose system offers no encryption (secretStorage 'keyfile': the preview host, Linux without
 * a keyring) is kept in the data folder's key file only when the manager said so (keepSecretInKeyFile): the contract
 * refuses it otherwise, before anything is saved. The settings service itself (the CLI, tests) keeps it either way.
 */
import { KEYFILE_NOTICE, KEYFILE_UNCONFIRMED, type SecretStorage } from '../../shared/contract/settings.ts';
import { ConsoleError } from './errors.ts';

export const KEYFILE_REFUSED = `未保存密钥 (appSecret): ${KEYFILE_NOTICE} 请勾选确认后再保存.`;

export function requireKeyFileConsent(
  input: { appSecret?: string | undefined; keepSecretInKeyFile?: boolean | undefined },
  storage: SecretStorage,
): void {
  if (input.appSecret === undefined || storage !== 'keyfile' || input.keepSecretInKeyFile === true) return;
  throw new ConsoleError('conflict', KEYFILE_REFUSED, [{ field: 'appSecret', message: KEYFILE_UNCONFIRMED }]);
}
