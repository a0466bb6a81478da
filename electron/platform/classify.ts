/** One rule for what every answer (or failure to get one) means. */
import { ENDPOINTS, type Endpoint } from '../../shared/platform/endpoints.ts';
import type { OutcomeKind, SignatureDiagnosis } from '../../shared/platform/outcome.ts';
import { misreadFields } from './diagnose.ts';

export interface PlatformAnswer {
  code: string | null;
  message: string | null;
  hint: string | null;
  seqno: string | null;
}

/** The body of any answer, whatever the HTTP status; null when it is not the platform's JSON. */
export function readAnswer(bodyText: string): PlatformAnswer | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // Not JSON (a proxy's page, a cut answer): null is classified as unreadable, so the record is sent again.
    return null;
  }
  if (typeof body !== 'object' || body === null || !('code' in body)) return null;
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
  return { code: str(b.code), message: str(b.message), hint: str(b.hint), seqno: str(b.seqno) };
}

export function classifyAnswer(endpoint: Endpoint, httpStatus: number, answer: PlatformAnswer | null): OutcomeKind {
  if (answer?.code) {
    const code = answer.code;
    if (ENDPOINTS[endpoint].successCodes.includes(code)) return answer.hint ? 'ignored' : 'accepted';
    if (code === '400') return 'rejected';
    if (code === '401' || code === '403') return 'auth';
    if (code === '500' || code === '503' || code === '429') return 'retry';
  }
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  // Not the platform at this address: the settings are wrong, not the record.
  if (httpStatus === 404 || httpStatus === 405) return 'auth';
  if (httpStatus >= 500 || httpStatus === 408 || httpStatus === 429) return 'retry';
  // No readable answer: we cannot know whether it was taken, so send again with the same key.
  if (!answer?.code) return 'retry';
  // A code the pages do not list: a person reads its message.
  return 'rejected';
}

/**
 * A refused signature (401) is the credentials' problem (`auth`: everything pauses) unless the platform's
 * plain text shows it read one of the record's own values differently from what was sent: then it is that
 * record's (`rejected`: it waits for a person, the rest goes on). An `ignored` leave stays `ignored`.
 */
export function classifyRefusal(outcome: OutcomeKind, diagnosis: SignatureDiagnosis | null): OutcomeKind {
  if (outcome === 'auth' && diagnosis && misreadFields(diagnosis).length > 0) return 'rejected';
  return outcome;
}
