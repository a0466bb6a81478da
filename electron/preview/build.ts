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
const LOCK = join(REPO_ROOT, 'dist', '.renderer-build.lock');
const LOCK_STALE_MS = 180_000;

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
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
  return SOURCES.some((s) => newest(s) > built);
}

export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(REPO_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds when stale; returns whether it built. */
export async function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  if (!rendererIsStale()) return false;
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      // Only another builder's lock is worth waiting for; a folder this user cannot write never frees up.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(
          `无法构建界面: ${join(REPO_ROOT, 'dist')} 不可写 (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        );
      }
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // The other builder just finished.
      }
      await sleep(200);
      if (!rendererIsStale()) return false;
    }
  }
  try {
    if (!rendererIsStale()) return false;
    log('正在构建界面 (vite build)…');
    await buildRenderer();
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
