/** What an answer from the platform means for the record that was sent. */

export const OUTCOME_KINDS = ['accepted', 'ignored', 'rejected', 'auth', 'retry'] as const;
/**
 * - accepted: the platform took it.
 * - ignored: a success code with a `hint` (e.g. 已忽略当前请求 on a bad leave signature): a failure to fix while
 *   integrating, counted as accepted in production mode (the vendor's rule, so one record never blocks the rest).
 * - rejected: permanent (400): the hint names the field; a person must edit or cancel the record. Also a 401
 *   whose hint shows the platform read one of the record's values differently (a mis-decoded character).
 * - auth: 401/403 (or an address that is not the platform): stop sending, a person must fix the settings.
 * - retry: 500/503, timeouts, resets, refused connections, unparsable answers: send again later with the same key.
 */
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export type PlatformMode = 'integration' | 'production';

export interface SignatureDiagnosis {
  /** Our signed text, secret masked. */
  ours: string;
  /** The platform's, from its hint (escapes removed). */
  theirs: string;
  identical: boolean;
  /** Index of the first differing character, or -1. */
  firstDifference: number;
  /** Fields whose values differ, or that only one side has. */
  fields: { field: string; ours: string | null; theirs: string | null }[];
  /** A sentence in Chinese for the installer. */
  summary: string;
}

export interface Outcome {
  outcome: OutcomeKind;
  code: string | null;
  message: string | null;
  hint: string | null;
  seqno: string | null;
  httpStatus: number | null;
  latencyMs: number;
  /** Network-level cause (ECONNRESET, ETIMEDOUT, …) or why the answer could not be read. */
  error: string | null;
  diagnosis: SignatureDiagnosis | null;
}

/** Whether the record is done with: accepted, or ignored while the park runs in production mode. */
export function countsAsAccepted(outcome: OutcomeKind, mode: PlatformMode): boolean {
  return outcome === 'accepted' || (outcome === 'ignored' && mode === 'production');
}

export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  accepted: '已受理',
  ignored: '已忽略(有提示)',
  rejected: '被拒绝',
  auth: '认证失败',
  retry: '待重试',
};
