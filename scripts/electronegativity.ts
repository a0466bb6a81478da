/**
 * `npm run electronegativity` (part of `npm test`): Doyensec's Electronegativity, the checker of Electron
 * misconfigurations and security anti-patterns, over the desktop program's own code: electron/ (main process,
 * backend worker, preload, and the CLI and preview host beside them), shared/, renderer/ (index.html included) and
 * package.json, for the Electron version installed. It reads the TypeScript sources themselves (its Babel parser takes
 * `satisfies`, `using` and the rest), so every finding points at a line a person edits.
 *
 * Every finding is printed with its verdict. One of MEDIUM severity or above fails the run unless it is explained
 * beside the code: on the finding's line, or in the comment lines directly above it, a comment
 *
 *     // electronegativity: CHECK_ID — why this is safe here
 *
 * (in a block comment or `<!-- … -->` as well; several IDs may be listed with commas; `-` or `:` may stand for the
 * dash; the reason has at least 10 characters). A finding that has no line (a *_GLOBAL_CHECK such as "no CSP found",
 * reported at N/A) is explained by such a comment anywhere in the scanned files, best where the thing it misses is
 * done. Electronegativity's own `eng-disable` comments hide a finding with no reason and are refused, and so is a file
 * that does not parse: a file not read is a file not checked.
 *
 * It runs without the network: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out (it downloads Electron's release
 * list at every run, so its verdict would change with Electron's releases rather than with this code), and the tool's
 * HTTP client is replaced by one that fails at once, so its fetch of translations for its messages (which it does
 * without) neither waits nor, as got 11 does on Node 24 when a retry fires after the timeout, crashes the process.
 *
 * Electronegativity is installed in tools/electronegativity with its own lockfile (`npm ci` there when missing), not
 * in the root: it depends on TypeScript ~4.2 and @typescript-eslint/typescript-estree 4, and in the root tree the
 * hoisted parser would load the project's TypeScript 5.9 instead; its ~400 packages (ESLint 7 among them) would also
 * join the app's lockfile and audit for a tool the app never loads.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOOL_DIR = join(ROOT, 'tools', 'electronegativity');
/** What is scanned, relative to the repository. */
export const SCANNED = ['electron', 'shared', 'renderer', 'package.json'];
const SOURCE_FILE = /\.(ts|tsx|js|jsx|html|htm)$|(^|\/)package\.json$/;
const SKIPPED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const FAILING_SEVERITY = 2; // MEDIUM (INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3)

export interface Finding {
  id: string;
  /** Relative to the repository with `/`, or `N/A` for a global check. */
  file: string;
  line: number;
  column: number;
  severity: string;
  severityValue: number;
  confidence: string;
  description: string;
  manualReview: boolean;
}

interface Explanation {
  ids: string[];
  reason: string;
  file: string;
  line: number;
}

const MARKER = /electronegativity\s*:\s*([A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\s*(?:—|–|-|:)\s*(.*)$/;
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|<!--)/;

const stripComment = (text: string) =>
  text
    .replace(/^\s*(\/\/+|\/\*+|\*+|<!--)\s?/, '')
    .replace(/\s*(\*\/|-->)\s*$/, '')
    .trim();

/** The marker on line `line` (1-based) of `lines`, its reason continued by the comment lines right below it. */
function markerAt(lines: readonly string[], line: number, file: string): Explanation | null {
  const m = MARKER.exec(lines[line - 1] ?? '');
  if (!m) return null;
  const reason = [stripComment(m[2]!)];
  for (let l = line + 1; l <= lines.length; l++) {
    const text = lines[l - 1]!;
    if (!COMMENT_LINE.test(text) || MARKER.test(text)) break;
    reason.push(stripComment(text));
  }
  return { ids: m[1]!.split(',').map((s) => s.trim()), reason: reason.join(' ').trim(), file, line };
}

/**
 * The explanation of a finding at `line` (1-based) of `lines`: a marker naming `id` on that line or in the run of
 * comment lines directly above it.
 */
export function explanationAt(lines: readonly string[], line: number, id: string, file = ''): Explanation | null {
  const candidates: number[] = [line];
  for (let l = line - 1; l >= 1 && COMMENT_LINE.test(lines[l - 1] ?? ''); l--) candidates.push(l);
  for (const l of candidates) {
    const e = markerAt(lines, l, file);
    if (e?.ids.includes(id)) return e;
  }
  return null;
}

/** Every marker in the scanned files. */
export function allExplanations(files: ReadonlyMap<string, readonly string[]>): Explanation[] {
  const out: Explanation[] = [];
  for (const [file, lines] of files) {
    for (let l = 1; l <= lines.length; l++) {
      const e = markerAt(lines, l, file);
      if (e) out.push(e);
    }
  }
  return out;
}

export type Verdict =
  | { kind: 'explained'; by: Explanation }
  | { kind: 'reason-too-short'; by: Explanation }
  | { kind: 'unexplained' }
  | { kind: 'below-medium' };

export function verdictFor(finding: Finding, files: ReadonlyMap<string, readonly string[]>): Verdict {
  let by: Explanation | null = null;
  if (finding.file === 'N/A' || finding.line < 1) {
    by = allExplanations(files).find((e) => e.ids.includes(finding.id)) ?? null;
  } else {
    const lines = files.get(finding.file);
    by = lines ? explanationAt(lines, finding.line, finding.id, finding.file) : null;
  }
  if (by && by.reason.length < 10) return { kind: 'reason-too-short', by };
  if (by) return { kind: 'explained', by };
  return finding.severityValue >= FAILING_SEVERITY ? { kind: 'unexplained' } : { kind: 'below-medium' };
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** Whether the tool is installed at the version tools/electronegativity/package.json names. */
export function toolInstalled(): boolean {
  const pkg = JSON.parse(readFileSync(join(TOOL_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const installed = join(TOOL_DIR, 'node_modules', '@doyensec', 'electronegativity', 'package.json');
  if (!existsSync(installed)) return false;
  const { version } = JSON.parse(readFileSync(installed, 'utf8')) as { version: string };
  return version === pkg.dependencies['@doyensec/electronegativity'];
}

function installTool(): void {
  if (toolInstalled()) return;
  process.stderr.write('正在安装 Electronegativity (npm ci --prefix tools/electronegativity)…\n');
  const args = ['ci', '--prefix', TOOL_DIR, '--no-audit', '--no-fund', '--loglevel=error'];
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: 'inherit' })
    : spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm ci --prefix tools/electronegativity 失败 (exit ${result.status})`);
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description: string;
  manualReview?: boolean;
}
type Run = (options: Record<string, unknown>) => Promise<{
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}>;

/** Puts a stand-in for `got` in the require cache where the tool resolves it: every request fails at once. */
function withoutNetwork(toolRequire: NodeJS.Require): void {
  const gotPath = toolRequire.resolve('got', {
    paths: [join(TOOL_DIR, 'node_modules', '@doyensec', 'electronegativity')],
  });
  const offline = Object.assign(() => Promise.reject(new Error('electronegativity runs offline here')), {
    __esModule: true,
  });
  const stub = Object.assign(offline, { default: offline, head: offline, get: offline });
  const m = new Module(gotPath);
  m.filename = gotPath;
  m.loaded = true;
  m.exports = stub;
  toolRequire.cache[gotPath] = m;
}

/** Electronegativity over the folder `stage`: its findings (paths relative to it) and the files it could not parse. */
export async function scanDirectory(
  stage: string,
): Promise<{ findings: Finding[]; parseErrors: string[]; toolOutput: string[] }> {
  const toolRequire = createRequire(join(TOOL_DIR, 'package.json'));
  withoutNetwork(toolRequire);
  const run = toolRequire('@doyensec/electronegativity') as Run;
  const electronVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
  ).version;
  // The tool talks on the console (its progress, the failed fetch of translations): kept, and shown only if it fails
  // or with ELECTRONEGATIVITY_VERBOSE=1.
  const toolOutput: string[] = [];
  const saved = { log: console.log, warn: console.warn, info: console.info };
  const keep = (...args: unknown[]) => {
    toolOutput.push(args.map(String).join(' '));
  };
  console.log = keep;
  console.warn = keep;
  console.info = keep;
  try {
    const result = await run({
      input: stage,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: SKIPPED_CHECKS,
      severitySet: 'informational',
      confidenceSet: 'tentative',
    });
    const findings = result.issues.map((i) => ({
      id: i.id,
      file: i.file === 'N/A' ? 'N/A' : i.file.split(sep).join('/'),
      line: i.location.line,
      column: i.location.column,
      severity: i.severity.name,
      severityValue: i.severity.value,
      confidence: i.confidence.name,
      description: i.description,
      manualReview: i.manualReview === true,
    }));
    const parseErrors = result.errors.map((e) => `${relative(stage, e.file).split(sep).join('/')}: ${e.message}`);
    return { findings, parseErrors, toolOutput };
  } catch (e) {
    process.stderr.write(`${toolOutput.join('\n')}\n`);
    throw e;
  } finally {
    Object.assign(console, saved);
  }
}

function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case 'explained':
      return `已说明 (explained, ${v.by.file}:${v.by.line}): ${v.by.reason}`;
    case 'reason-too-short':
      return `说明太短 (explanation too short, ${v.by.file}:${v.by.line}): "${v.by.reason}"`;
    case 'unexplained':
      return '未说明 (UNEXPLAINED: fix it, or add "// electronegativity: ID — reason" beside the code)';
    case 'below-medium':
      return '低于 MEDIUM, 仅提示 (below MEDIUM: for information)';
  }
}

async function main(): Promise<number> {
  installTool();
  const stage = mkdtempSync(join(tmpdir(), 'booth-electronegativity-'));
  try {
    const sources = new Map<string, readonly string[]>();
    for (const entry of SCANNED) {
      const from = join(ROOT, entry);
      const files = statSync(from).isDirectory() ? listFiles(from).map((f) => `${entry}/${f}`) : [entry];
      for (const file of files.filter((f) => SOURCE_FILE.test(f))) {
        cpSync(join(ROOT, file), join(stage, file));
        sources.set(file, readFileSync(join(ROOT, file), 'utf8').split(/\r?\n/));
      }
    }
    const { findings, parseErrors, toolOutput } = await scanDirectory(stage);
    if (process.env.ELECTRONEGATIVITY_VERBOSE === '1') process.stderr.write(`${toolOutput.join('\n')}\n`);
    const out: string[] = [
      `Electronegativity: ${sources.size} 个文件 (${SCANNED.join(', ')}), ${findings.length} 条发现`,
    ];
    let failures = 0;
    for (const f of findings) {
      const verdict = verdictFor(f, sources);
      if (verdict.kind === 'unexplained' || verdict.kind === 'reason-too-short') failures++;
      const where = f.file === 'N/A' ? '(整个程序 / global)' : `${f.file}:${f.line}:${f.column}`;
      const review = f.manualReview ? ' [review]' : '';
      out.push(`  ${f.severity} ${f.confidence}${review} ${f.id} ${where}: ${f.description}`);
      out.push(`    → ${describeVerdict(verdict)}`);
    }
    for (const e of parseErrors) {
      failures++;
      out.push(`  无法解析 (parse error, the file was not checked): ${e}`);
    }
    for (const [file, lines] of sources) {
      lines.forEach((text, i) => {
        if (!/\beng-disable\b/.test(text)) return;
        failures++;
        out.push(`  ${file}:${i + 1}: eng-disable 隐藏发现而不说明原因, 请改用 "// electronegativity: ID — 原因"`);
      });
    }
    const used = new Set(findings.map((f) => f.id));
    for (const e of allExplanations(sources)) {
      const stale = e.ids.filter((id) => !used.has(id));
      if (stale.length > 0) out.push(`  注意 (note): ${e.file}:${e.line} 说明的 ${stale.join(', ')} 没有对应的发现`);
    }
    out.push(
      failures === 0
        ? 'Electronegativity: 没有未说明的 MEDIUM 及以上发现 (no unexplained finding of MEDIUM or above)'
        : `Electronegativity: ${failures} 个问题 (problems) 未解决`,
    );
    (failures === 0 ? process.stdout : process.stderr).write(`${out.join('\n')}\n`);
    return failures === 0 ? 0 : 1;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main();
  } catch (e) {
    process.stderr.write(`Electronegativity 未能运行: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
