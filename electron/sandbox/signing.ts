// Signature checks, as an independent reading of the vendor pages.
//
// Form endpoints (update, leave): every parameter except `sign` and file parts, empty values
// dropped, keys in ASCII order, `k=v` joined by `&`, then `&app_secret=SECRET`, MD5 over UTF-8.
// JSON endpoint (vip/recharge): MD5(<raw body bytes> + "&app_secret=" + SECRET) in `Authorization`.

import { createHash } from 'node:crypto';

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}

function asciiCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The platform's plain text for a form request, without the `&app_secret=` suffix. */
export function formPlainText(params: ReadonlyMap<string, string>): string {
  const keys = [...params.keys()].filter((k) => k !== 'sign' && (params.get(k) ?? '') !== '');
  keys.sort(asciiCompare);
  return keys.map((k) => `${k}=${params.get(k) ?? ''}`).join('&');
}

/** MD5 of the form plain text with the secret appended. */
export function formSignature(params: ReadonlyMap<string, string>, secret: string): string {
  return md5Hex(`${formPlainText(params)}&app_secret=${secret}`);
}

/** The plain text as the platform shows it in a hint: secret masked (and a sent `app_secret` masked too). */
export function formHintText(params: ReadonlyMap<string, string>): string {
  const masked = new Map(params);
  if (masked.has('app_secret') && masked.get('app_secret') !== '') masked.set('app_secret', '***');
  return `${formPlainText(masked)}&app_secret=***`;
}

export function sameHex(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

export function verifyFormSign(params: ReadonlyMap<string, string>, secret: string): boolean {
  return sameHex(params.get('sign'), formSignature(params, secret));
}

export function jsonSignature(rawBody: Buffer, secret: string): string {
  return md5Hex(Buffer.concat([rawBody, Buffer.from(`&app_secret=${secret}`, 'utf8')]));
}

export function verifyJsonSign(rawBody: Buffer, authorization: string | undefined, secret: string): boolean {
  if (authorization === undefined) return false;
  return sameHex(authorization.trim(), jsonSignature(rawBody, secret));
}
