/** A small, strict reader of `--flag value` command lines: unknown flags are errors, not ignored. */

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that are true when present. */
  switches?: readonly string[];
  required?: readonly string[];
}

export interface ParsedArgs {
  values: Record<string, string>;
  switches: Set<string>;
}

export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  const valueFlags = new Set(spec.values ?? []);
  const switchFlags = new Set(spec.switches ?? []);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) : null;
    if (name === null) throw new CliError(`${command}: 多余的参数 "${arg}"`);
    if (switchFlags.has(name)) {
      switches.add(name);
    } else if (valueFlags.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--')))
        throw new CliError(`${command}: --${name} 需要一个值`);
      values[name] = value;
    } else {
      const known = [...valueFlags, ...switchFlags].map((f) => `--${f}`).join(' ');
      throw new CliError(`${command}: 未知参数 --${name} (可用: ${known})`);
    }
  }
  for (const r of spec.required ?? []) {
    if (!values[r]) throw new CliError(`${command}: 缺少 --${r}`);
  }
  return { values, switches };
}

export function intFlag(
  command: string,
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${command}: --${name} 须为 ${min} 到 ${max} 之间的整数, 收到 "${value}"`);
  return n;
}

export function oneOf<T extends string>(
  command: string,
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`${command}: --${name} 须为 ${allowed.join(' | ')}, 收到 "${value}"`);
  return value as T;
}
