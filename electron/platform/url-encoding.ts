/**
 * `encoding=URL` mode: values are URL-encoded before signing and sending, the way the platform's
 * Java side decodes them (java.net.URLEncoder, UTF-8): letters, digits and . - * _ stay,
 * a space becomes +, everything else is %XX of its UTF-8 bytes.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
