/** Reading the files a command is pointed at, with one clear line when they are not what they should be. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './args.ts';

/**
 * The folder the command was typed in. `npm run` runs a script in the package's root, whatever folder it was
 * typed in, and gives that folder as INIT_CWD; run directly (`node electron/cli/main.ts`), it is the working one.
 */
export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.INIT_CWD;
  return dir === undefined || dir === '' ? process.cwd() : resolve(dir);
}

/** A path given on the command line (--file, --secret-file, --data-dir), as the full path it stands for. */
export function callerPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(callerDir(env), path);
}

/** The text of a file named on the command line; a message about it gives the full path looked at. */
export async function readText(path: string): Promise<string> {
  const full = callerPath(path);
  try {
    return await readFile(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `找不到文件: ${full}`
        : code === 'EISDIR'
          ? `${full} 是文件夹, 不是文件`
          : `无法读取文件 ${full}: ${code ?? String(e)}`,
    );
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
