/**
 * Bundles the Electron host into dist/host: `--mode main` (ES module; dependencies stay in
 * node_modules) and `--mode preload` (one CommonJS file, as a sandboxed preload must be).
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('../../package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    build: {
      outDir: here('../../dist/host'),
      emptyOutDir: !preload,
      target: 'node22',
      minify: false,
      ssr: true,
      lib: {
        entry: here(preload ? './preload.ts' : './main.ts'),
        formats: [preload ? 'cjs' : 'es'],
        fileName: () => (preload ? 'preload.cjs' : 'main.js'),
      },
      rollupOptions: {
        external: preload
          ? ['electron']
          : [
              'electron',
              ...nodeBuiltins,
              ...Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, new RegExp(`^${d}/`)]),
            ],
      },
    },
    ssr: { noExternal: preload ? true : [] },
  };
});
