/**
 * `npm test` fails on any line over 120 characters (code points) in the project's own code and config files: Biome
 * formats code
 * to that width but leaves long strings and comments as they are.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const MAX_LINE = 120;
const CHECKED = /\.(ts|tsx|js|mjs|cjs|css|html|jsonc|yml|yaml)$|^\.ci\/run$/;

/** Lines of `text` longer than `max` characters, as [line number, length]. */
export function longLines(text: string, max = MAX_LINE): [number, number][] {
  const out: [number, number][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const length = [...line].length;
    if (length > max) out.push([i + 1, length]);
  });
  return out;
}

if (import.meta.main) {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => CHECKED.test(f) && f !== 'package-lock.json');
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // listed by git but deleted in the work tree: nothing to check
    }
    for (const [line, length] of longLines(text)) problems.push(`${file}:${line}: ${length} 个字符 (最多 ${MAX_LINE})`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n${problems.length} 行超过 ${MAX_LINE} 个字符\n`);
    process.exitCode = 1;
  }
}
