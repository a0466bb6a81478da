/** Everything that goes wrong in a handler becomes an ApiError value: a code, a Chinese sentence, the bad fields. */
import { z } from 'zod';
import type { ApiError, ApiErrorCode } from '../../shared/contract/api.ts';
import { RecordError, toFieldIssues, type FieldIssue } from '../../shared/records/fields.ts';
import { storageMessage } from '../queue/storage-errors.ts';

export class ConsoleError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: FieldIssue[] | undefined;
  constructor(code: ApiErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.issues = issues;
  }
}

function hasIssues(e: unknown): e is { issues: FieldIssue[] } {
  if (!e || typeof e !== 'object') return false;
  const issues = (e as { issues?: unknown }).issues;
  return (
    Array.isArray(issues) &&
    issues.every((i) => i && typeof i === 'object' && typeof i.field === 'string' && typeof i.message === 'string')
  );
}

/** Never a stack trace: the message of a known error, or one line for an unknown one. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ConsoleError)
    return e.issues ? { code: e.code, message: e.message, issues: e.issues } : { code: e.code, message: e.message };
  if (e instanceof z.ZodError) return { code: 'invalid', message: '输入有误, 请按提示修改', issues: toFieldIssues(e) };
  if (e instanceof RecordError) {
    const notFound = e.issues.length === 1 && e.issues[0]!.field === 'id';
    const state = e.issues.length === 1 && e.issues[0]!.field === 'state';
    if (notFound) return { code: 'not-found', message: e.issues[0]!.message };
    if (state) return { code: 'conflict', message: e.issues[0]!.message };
    return { code: 'invalid', message: '记录有误, 请按提示修改', issues: e.issues };
  }
  // SettingsError and anything else that names its fields.
  if (hasIssues(e))
    return {
      code: 'invalid',
      message: '输入有误, 请按提示修改',
      issues: e.issues.map((i) => ({ field: i.field, message: i.message })),
    };
  // Disk full, read-only folder, database locked, missing or corrupt: what happened and what to do.
  const storage = storageMessage(e);
  if (storage) return { code: 'unavailable', message: storage };
  const detail = e instanceof Error ? e.message.split('\n')[0] : '';
  return { code: 'internal', message: detail ? `内部错误: ${detail}` : '内部错误' };
}
