// The common front half of the two form endpoints (update, leave): read the form, find the car
// park, check the signature over the raw values, then URL-decode when `encoding=URL`.

import type { IncomingMessage } from 'node:http';
import { parseForm } from '../multipart.ts';
import { badParam, missingParam, unknownPark } from '../errors.ts';
import { formHintText, verifyFormSign } from '../signing.ts';
import { javaUrlDecode } from '../urldecode.ts';
import type { SandboxStore } from '../state.ts';
import type { StoredFile } from '../types.ts';

export interface SignedForm {
  parkUuid: string;
  /** decoded values (Java URLDecoder when encoding=URL), without sign, empty values dropped */
  fields: Record<string, string>;
  files: StoredFile[];
}

export type FormResult = { ok: true; form: SignedForm } | { ok: false; hintText: string };

export async function readSignedForm(
  req: IncomingMessage,
  store: SandboxStore,
  fileFields: ReadonlySet<string>,
): Promise<FormResult> {
  const { fields: raw, files } = await parseForm(req, fileFields);

  const urlEncoded = raw.get('encoding') === 'URL';
  const fields: Record<string, string> = {};
  for (const [k, v] of raw) {
    if (k === 'sign' || v === '') continue;
    const value = urlEncoded ? javaUrlDecode(v) : v;
    if (value === null) throw badParam(k);
    fields[k] = value;
  }

  const parkUuid = fields.park_uuid;
  if (parkUuid === undefined) throw missingParam('park_uuid');
  const secret = store.secretOf(parkUuid);
  if (secret === undefined) throw unknownPark(parkUuid);

  if (!verifyFormSign(raw, secret)) return { ok: false, hintText: formHintText(raw) };
  return { ok: true, form: { parkUuid, fields, files } };
}

/** First field of `names` that is not present, as a 400. */
export function requireFields(fields: Record<string, string>, names: readonly string[]): void {
  for (const name of names) {
    if (fields[name] === undefined) throw missingParam(name);
  }
}

/** Checks each present field of `names` with `ok`, as a 400 naming the first bad one. */
export function checkFields(
  fields: Record<string, string>,
  names: readonly string[],
  ok: (v: string) => boolean,
): void {
  for (const name of names) {
    const v = fields[name];
    if (v !== undefined && !ok(v)) throw badParam(name);
  }
}
