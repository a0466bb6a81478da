/**
 * The platform's two signatures. The secret is appended only to the text that is hashed; what is
 * kept for logs is always the masked form (app_secret=***).
 */
import { createHash } from 'node:crypto';

export const SECRET_MASK = '***';

export function md5Upper(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}

/**
 * Form endpoints: every parameter except `sign` (files are never in `params`), empty values
 * dropped, keys in ASCII order, `k=v` joined with `&`. Values are taken as they will be sent.
 */
export function formPlainText(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export interface Signed {
  signature: string;
  /** The exact text that was hashed, with the secret replaced by ***. */
  plainMasked: string;
}

export function signForm(params: Readonly<Record<string, string | undefined>>, secret: string): Signed {
  const plain = formPlainText(params);
  return { signature: md5Upper(`${plain}&app_secret=${secret}`), plainMasked: `${plain}&app_secret=${SECRET_MASK}` };
}

/** JSON endpoint: Authorization = MD5(<exact body text> + "&app_secret=" + secret). */
export function signJson(bodyText: string, secret: string): Signed {
  return {
    signature: md5Upper(`${bodyText}&app_secret=${secret}`),
    plainMasked: `${bodyText}&app_secret=${SECRET_MASK}`,
  };
}

/** Last line of defence for messages that may echo input: removes the secret wherever it appears. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 3) return text;
  return text.split(secret).join(SECRET_MASK);
}
