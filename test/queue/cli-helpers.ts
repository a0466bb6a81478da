/** Running the CLI as a child process (Node 24, .ts directly), and temp folders for its data. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../electron/cli/main.ts');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The child and a promise of how it ended; stdout and stderr are collected. */
export function startCli(args: readonly string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliRun>((res, rej) => {
    child.once('error', rej);
    child.once('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[]): Promise<CliRun> {
  return startCli(args).done;
}

/** `enqueue --endpoint E --file F --data-dir D`. */
export function runEnqueue(endpoint: string, file: string, dataDir: string): Promise<CliRun> {
  return runCli(['enqueue', '--endpoint', endpoint, '--file', file, '--data-dir', dataDir]);
}

/** `drain --data-dir D --until-empty --quiet` to a platform (a test sandbox's target). */
export function runDrainTo(
  dataDir: string,
  target: { baseUrl: string; parkUuid: string; appSecret: string },
  ...flags: string[]
): Promise<CliRun> {
  return runCli([
    'drain',
    '--data-dir',
    dataDir,
    '--until-empty',
    '--quiet',
    '--base-url',
    target.baseUrl,
    '--park-uuid',
    target.parkUuid,
    '--secret',
    target.appSecret,
    ...flags,
  ]);
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function tempDir(prefix: string): {
  dir: string;
  file(name: string, content: string | Uint8Array): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function toJsonLines(records: readonly Record<string, unknown>[]): string {
  return `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
}
