/**
 * The desktop program's build output for the delivery tests: `npm test` builds it before vitest runs; a test run on
 * its own builds it (`npm run -s build`) when a file the app loads is missing. A lock folder lets one test file build
 * while another waits (vitest runs files in parallel).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
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

const LOCK = join(ROOT, 'dist', '.app-build.lock');
const LOCK_STALE_MS = 300_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
  if (missing().length === 0) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // The other builder just removed its lock: try again.
      }
      await sleep(500);
      if (missing().length === 0) return;
    }
  }
  try {
    if (missing().length > 0) runBuild();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  const still = missing();
  if (still.length > 0) throw new Error(`npm run build 之后仍缺少: ${still.join(', ')}`);
}
