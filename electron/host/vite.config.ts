/**
 * Bundles the Electron host into dist/host:
 * - `--mode main`: `main.js` (electron/host/main.ts, Electron's main process) and `backend.js`
 *   (electron/backend/worker.ts, the backend's worker thread that main.js starts), ES modules; code they share goes to
 *   `chunks/`. Dependencies and Node's modules stay in node_modules (packed by electron-builder).
 * - `--mode preload`: `preload.cjs`, one CommonJS file with nothing external but electron, as a sandboxed preload
 *   must be.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('../../package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const dependencies = Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, new RegExp(`^${d}/`)]);

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    build: {
      outDir: here('../../dist/host'),
      emptyOutDir: !preload,
      target: 'node22',
      minify: false,
      ssr: true,
      lib: preload
        ? { entry: here('./preload.ts'), formats: ['cjs' as const], fileName: () => 'preload.cjs' }
        : {
            entry: { main: here('./main.ts'), backend: here('../backend/worker.ts') },
            formats: ['es' as const],
            fileName: (_format: string, entry: string) => `${entry}.js`,
          },
      rollupOptions: {
        external: preload ? ['electron'] : ['electron', ...nodeBuiltins, ...dependencies],
        output: preload ? {} : { chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
    ssr: { noExternal: preload ? true : [] },
  };
});
