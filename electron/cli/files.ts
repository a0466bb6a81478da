/** Reading the files a command is pointed at, with one clear line when they are not what they should be. */
import { readFile } from 'node:fs/promises';
import { CliError } from './args.ts';

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `找不到文件: ${path}` : `无法读取文件 ${path}: ${code ?? String(e)}`);
  }
}

export async function readJsonObject(path: string): Promise<Record<string, unknown>> {
  const text = (await readText(path)).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} 不是合法的 JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliError(`${path} 须为一个 JSON 对象`);
  return value as Record<string, unknown>;
}
