/**
 * The Electronegativity gate of `npm test` (scripts/electronegativity.ts): which comment explains a finding, and
 * that the tool really reads this project's TypeScript (modern syntax included), finds a misconfiguration and reports
 * a file it cannot parse, so that "no unexplained finding" means something.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Finding, scanDirectory, toolInstalled, verdictFor } from '../../scripts/electronegativity.ts';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'SANDBOX_JS_CHECK',
  file: 'electron/host/window.ts',
  line: 4,
  column: 14,
  severity: 'MEDIUM',
  severityValue: 2,
  confidence: 'FIRM',
  description: 'Use sandbox for untrusted origins',
  manualReview: false,
  ...over,
});

const sources = (text: string, file = 'electron/host/window.ts') => new Map([[file, text.split('\n')]]);

describe('explanations beside the code', () => {
  it('a marker in the comment lines directly above the finding, or on its line, explains it', () => {
    const above = sources(
      [
        'export function open() {',
        '  // electronegativity: AUXCLICK_JS_CHECK, SANDBOX_JS_CHECK — webPreferences come from',
        '  // consoleWebPreferences() (sandbox: true); new windows are denied in security.ts',
        '  const win = new BrowserWindow(options);',
      ].join('\n'),
    );
    const v = verdictFor(finding({}), above);
    expect(v.kind).toBe('explained');
    if (v.kind === 'explained') expect(v.by).toMatchObject({ line: 2, reason: expect.stringContaining('sandbox') });
    const sameLine = sources(
      '\n\n\nconst w = new BrowserWindow(o); /* electronegativity: SANDBOX_JS_CHECK - o has sandbox: true */',
    );
    expect(verdictFor(finding({}), sameLine).kind).toBe('explained');
  });

  it('a marker cut off by code, naming another check or giving no reason does not', () => {
    const cutOff = sources(
      '// electronegativity: SANDBOX_JS_CHECK — sandbox set in prefs\nconst x = 1;\n\nnew BrowserWindow(o);',
    );
    expect(verdictFor(finding({}), cutOff).kind).toBe('unexplained');
    const other = sources('\n\n// electronegativity: PRELOAD_JS_CHECK — our own preload, typed\nnew BrowserWindow(o);');
    expect(verdictFor(finding({}), other).kind).toBe('unexplained');
    const short = sources('\n\n// electronegativity: SANDBOX_JS_CHECK — ok\nnew BrowserWindow(o);');
    expect(verdictFor(finding({}), short).kind).toBe('reason-too-short');
  });

  it('a global finding is explained by a marker anywhere, an HTML comment included', () => {
    const page = sources(
      '<head>\n<!-- electronegativity: CSP_GLOBAL_CHECK — the CSP is a header of app:// responses (protocol.ts) -->',
      'renderer/index.html',
    );
    expect(verdictFor(finding({ id: 'CSP_GLOBAL_CHECK', file: 'N/A', line: 0 }), page).kind).toBe('explained');
    expect(verdictFor(finding({ id: 'LIMIT_NAVIGATION_GLOBAL_CHECK', file: 'N/A', line: 0 }), page).kind).toBe(
      'unexplained',
    );
  });

  it('findings below MEDIUM need no explanation', () => {
    const low = finding({ id: 'ALLOWPOPUPS_HTML_CHECK', severity: 'LOW', severityValue: 1 });
    expect(verdictFor(low, sources('')).kind).toBe('below-medium');
  });
});

const TOOL_REASON = toolInstalled()
  ? ''
  : ' (skipped: tools/electronegativity is not installed yet; `npm run electronegativity` installs it)';

describe.skipIf(!toolInstalled())(`Electronegativity itself${TOOL_REASON}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'booth-eneg-fixture-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads modern TypeScript, finds Node integration switched on and reports a file it cannot parse', async () => {
    mkdirSync(join(dir, 'host'));
    writeFileSync(
      join(dir, 'host', 'main.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'type Prefs = { nodeIntegration: boolean };',
        'const prefs = { nodeIntegration: true } satisfies Prefs;',
        'export function open<const T extends readonly string[]>(t: T) {',
        '  using _ = { [Symbol.dispose]() {} };',
        '  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });',
        '}',
        'void prefs;',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'host', 'broken.ts'), 'export const = ;\n');
    const { findings, parseErrors } = await scanDirectory(dir);
    const ids = findings.filter((f) => f.file === 'host/main.ts').map((f) => `${f.id}:${f.line}`);
    expect(ids).toEqual(expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK:6', 'CONTEXT_ISOLATION_JS_CHECK:6']));
    expect(parseErrors).toHaveLength(1);
    expect(parseErrors[0]).toMatch(/^host\/broken\.ts: /);
  }, 60_000);
});
