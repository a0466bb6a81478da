/**
 * The records of a file given to `enqueue`: one JSON object (possibly spread over many lines), or JSON
 * lines (one object per line). Image paths are taken relative to the file.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { FILE_FIELDS } from '../../shared/records/leave.ts';
import { CliError } from './args.ts';
import { callerPath, readText } from './files.ts';

export interface FileRecord {
  /** Line number for JSON lines, 0 for a single object. */
  line: number;
  record: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a record sits in the file, for messages: "第 3 行" or the file itself. */
export function placeOf(path: string, r: FileRecord): string {
  return r.line > 0 ? `${path} 第 ${r.line} 行` : path;
}

function withAbsoluteImages(path: string, record: Record<string, unknown>): Record<string, unknown> {
  const out = { ...record };
  for (const field of FILE_FIELDS) {
    const p = out[field];
    if (typeof p === 'string' && p !== '' && !isAbsolute(p)) out[field] = resolve(dirname(path), p);
  }
  return out;
}

export async function readRecordsFile(given: string): Promise<FileRecord[]> {
  const path = callerPath(given);
  const text = (await readText(path)).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CliError(`${path} 是空文件, 没有记录`);
  let whole: unknown;
  let records: FileRecord[];
  try {
    whole = JSON.parse(text);
  } catch {
    // Not one JSON object: read below as JSON lines, where a bad line is named.
    whole = undefined;
  }
  if (whole !== undefined) {
    if (!isObject(whole)) throw new CliError(`${path} 须为一个 JSON 对象, 或每行一个 JSON 对象`);
    records = [{ line: 0, record: whole }];
  } else {
    records = [];
    const lines = text.split(/\r?\n/);
    for (const [i, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new CliError(`${path} 第 ${i + 1} 行不是合法的 JSON: ${(e as Error).message}`);
      }
      if (!isObject(value)) throw new CliError(`${path} 第 ${i + 1} 行须为一个 JSON 对象`);
      records.push({ line: i + 1, record: value });
    }
  }
  return records.map((r) => ({ line: r.line, record: withAbsoluteImages(path, r.record) }));
}
