/**
 * The bundled host (dist/host: main.js, backend.js, preload.cjs) for the tests that load it as shipped: built with
 * `npm run -s build:host` when missing or older than its sources. Parallel test files wait on a lock directory while
 * one builds (as electron/preview/build.ts does for the renderer).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOnce, ensureRendererBuilt, newestMtime, REPO_ROOT } from '../../electron/preview/build.ts';

export const HOST_OUT = join(REPO_ROOT, 'dist', 'host');
export const MAIN_BUNDLE = join(HOST_OUT, 'main.js');
export const BACKEND_BUNDLE = join(HOST_OUT, 'backend.js');
export const PRELOAD_BUNDLE = join(HOST_OUT, 'preload.cjs');
const SOURCES = [join(REPO_ROOT, 'electron'), join(REPO_ROOT, 'shared'), join(REPO_ROOT, 'package.json')];

export function hostIsStale(): boolean {
  let built = Number.POSITIVE_INFINITY;
  for (const out of [MAIN_BUNDLE, BACKEND_BUNDLE, PRELOAD_BUNDLE]) {
    try {
      built = Math.min(built, statSync(out).mtimeMs);
    } catch {
      // not built yet
      return true;
    }
  }
  return SOURCES.some((s) => newestMtime(s) > built);
}

/** Builds the renderer and the host when either is missing or stale. */
export async function ensureHostBuilt(): Promise<void> {
  await ensureRendererBuilt();
  await buildOnce({
    lock: '.host-build.lock',
    isStale: hostIsStale,
    build: async () => {
      await promisify(execFile)('npm', ['run', '-s', 'build:host'], {
        cwd: REPO_ROOT,
        shell: process.platform === 'win32',
        maxBuffer: 16 * 1024 * 1024,
      });
    },
  });
}
