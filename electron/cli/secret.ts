/**
 * Where a command's app secret comes from: `--secret S`, `--secret-file F` or the environment variable
 * PYUN_APP_SECRET, exactly one of them, so that it need not sit in the process list.
 */
import { readFileSync } from 'node:fs';
import { CliError } from './args.ts';
import { callerPath, readText } from './files.ts';

export const SECRET_ENV = 'PYUN_APP_SECRET';
/** Value flags that name the secret, for parseArgs. */
export const SECRET_FLAGS = ['secret', 'secret-file'] as const;

/** A file's content without a BOM and without the trailing newline an editor adds. */
function secretText(content: string): string {
  return content.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
}

function envSecret(env: NodeJS.ProcessEnv): string | undefined {
  const v = env[SECRET_ENV];
  return v === undefined || v === '' ? undefined : v;
}

/** Whether any of the three sources is given (drain: flags instead of the folder's settings). */
export function secretGiven(values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): boolean {
  return values.secret !== undefined || values['secret-file'] !== undefined || envSecret(env) !== undefined;
}

export async function resolveSecret(
  command: string,
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const sources = [
    values.secret !== undefined ? '--secret' : null,
    values['secret-file'] !== undefined ? '--secret-file' : null,
    envSecret(env) !== undefined ? `环境变量 ${SECRET_ENV}` : null,
  ].filter((s): s is string => s !== null);
  if (sources.length === 0)
    throw new CliError(
      `${command}: 缺少密钥: 请用 --secret、--secret-file 或环境变量 ${SECRET_ENV} 给出 (只用其中一个)`,
    );
  if (sources.length > 1) throw new CliError(`${command}: 密钥只能有一个来源, 收到 ${sources.join('、')}`);
  let secret: string;
  if (values.secret !== undefined) secret = values.secret;
  else if (values['secret-file'] !== undefined) {
    const text = await readText(values['secret-file']).catch((e: unknown) => {
      throw new CliError(`${command}: --secret-file ${e instanceof Error ? e.message : String(e)}`);
    });
    secret = secretText(text);
  } else secret = envSecret(env)!;
  if (secret.trim() === '') throw new CliError(`${command}: 密钥为空 (${sources[0]})`);
  return secret;
}

/**
 * Every secret this command line may carry, whichever source: runCli masks them all in its error line.
 * Never throws: a file that cannot be read has no secret to hide.
 */
export function secretsOf(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const out: string[] = [];
  const given = flag('secret');
  if (given) out.push(given);
  const file = flag('secret-file');
  if (file) {
    try {
      out.push(secretText(readFileSync(callerPath(file, env), 'utf8')));
    } catch {
      // Unreadable or missing: nothing of it can appear in a message.
    }
  }
  const env_ = envSecret(env);
  if (env_) out.push(env_);
  return out.filter((s) => s !== '');
}
