/**
 * The desktop program's build output for the delivery tests: `npm test` builds it before vitest runs; a test run on
 * its own builds it (`npm run -s build`) when a file the app loads is missing. A lock folder lets one test file build
 * while another waits (vitest runs files in parallel).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildOnce } from '../../electron/preview/build.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the packaged app loads: the main process, its backend worker, the preload and the renderer's page. */
export const APP_FILES = {
  main: 'dist/host/main.js',
  backend: 'dist/host/backend.js',
  preload: 'dist/host/preload.cjs',
  page: 'dist/renderer/index.html',
} as const;

const missing = () => Object.values(APP_FILES).filter((f) => !existsSync(join(ROOT, f)));

function runBuild(): void {
  const npm = process.env.npm_execpath;
  const options = { cwd: ROOT, encoding: 'utf8' as const, timeout: 300_000 };
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', '-s', 'build'], options)
    : spawnSync('npm', ['run', '-s', 'build'], { ...options, shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`npm run build 失败 (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Builds dist/ when a file the app loads is missing; throws with the build's output if the build fails. */
export async function ensureAppBuilt(): Promise<void> {
  await buildOnce({ lock: '.app-build.lock', isStale: () => missing().length > 0, build: runBuild, staleMs: 300_000 });
  const still = missing();
  if (still.length > 0) throw new Error(`npm run build 之后仍缺少: ${still.join(', ')}`);
}
