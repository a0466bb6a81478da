/**
 * Builds the renderer with Vite when its output is missing or older than its sources. Several
 * processes may ask at once (parallel tests): a lock directory lets one build while the others wait.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_OUT = join(REPO_ROOT, 'dist', 'renderer');
const SOURCES = ['renderer', 'shared'].map((d) => join(REPO_ROOT, d));
const LOCK_STALE_MS = 180_000;

/** The newest modification time under a path (node_modules and dot-folders skipped): is a build older than this? */
export function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newestMtime(join(path, name)));
  }
  return max;
}

export function rendererIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(RENDERER_OUT, 'index.html')).mtimeMs;
  } catch {
    // Not built yet.
    return true;
  }
  return SOURCES.some((s) => newestMtime(s) > built);
}

export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(REPO_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `build` once when `isStale()`, however many processes ask at once (parallel test files): a lock directory
 * (`dist/<lock>`) lets one build while the others wait and then find nothing stale; a lock older than staleMs is a
 * builder that died. Returns whether this call built.
 */
export async function buildOnce(options: {
  lock: string;
  isStale: () => boolean;
  build: () => Promise<void> | void;
  staleMs?: number;
}): Promise<boolean> {
  if (!options.isStale()) return false;
  const dist = join(REPO_ROOT, 'dist');
  const lock = join(dist, options.lock);
  mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      // Only another builder's lock is worth waiting for; a folder this user cannot write never frees up.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`无法构建: ${dist} 不可写 (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      try {
        if (Date.now() - statSync(lock).mtimeMs > (options.staleMs ?? LOCK_STALE_MS)) {
          rmSync(lock, { recursive: true, force: true });
        }
      } catch {
        // The other builder just finished and removed its lock: try again.
      }
      await sleep(200);
      if (!options.isStale()) return false;
    }
  }
  try {
    if (!options.isStale()) return false;
    await options.build();
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds when stale; returns whether it built. */
export function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  return buildOnce({
    lock: '.renderer-build.lock',
    isStale: rendererIsStale,
    build: async () => {
      log('正在构建界面 (vite build)…');
      await buildRenderer();
    },
  });
}
