/**
 * The Windows installer's configuration (electron-builder.yml) as electron-builder 26 will read it: valid against the
 * JSON schema electron-builder ships (a misspelt key fails, as the second case shows), with the choices the booth PCs
 * need (NSIS x64, assisted, per-machine, Simplified Chinese, shortcuts, data kept on uninstall, the fuses), icons that
 * Windows can read, and every packed file present after `npm run build`: the bundles' imports are all either Node's,
 * Electron's or production dependencies, so the packaged app carries what its main process loads.
 */
import { existsSync, globSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_FILES, ensureAppBuilt, ROOT } from './built.ts';

type Config = Record<string, unknown> & {
  files?: string[];
  win?: { target?: { target: string; arch?: string[] }[]; icon?: string; artifactName?: string };
  nsis?: Record<string, unknown>;
};

const readConfig = (): Config => load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
// As electron-builder compiles it (strict off: the schema has keywords of its own), but without type coercion, so a
// value has to have the type the schema names.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const describeError = (e: ErrorObject) => {
  const extra = 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : '';
  return `${e.instancePath || '/'} ${e.message ?? ''}${extra}`;
};
const problems = (config: unknown): string[] => (validate(config) ? [] : (validate.errors ?? []).map(describeError));

const ASCII_FILE_NAME = /^[A-Za-z0-9._${}-]+$/;

function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') {
    return null;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The images of an ICO file: each entry's size and whether its data is a PNG or a bitmap of the same size. */
function icoEntries(bytes: Buffer): { size: number; format: 'png' | 'bmp' }[] {
  expect(bytes.readUInt16LE(0), 'ICO reserved word').toBe(0);
  expect(bytes.readUInt16LE(2), 'ICO type (1 = icon)').toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const e = 6 + 16 * i;
    const size = bytes[e] === 0 ? 256 : bytes[e]!;
    const length = bytes.readUInt32LE(e + 8);
    const offset = bytes.readUInt32LE(e + 12);
    expect(offset + length, `ICO entry ${i} inside the file`).toBeLessThanOrEqual(bytes.length);
    const data = bytes.subarray(offset, offset + length);
    const png = pngSize(data);
    if (png) {
      expect(png, `ICO entry ${i} PNG size`).toEqual({ width: size, height: size });
      return { size, format: 'png' as const };
    }
    expect(data.readUInt32LE(0), `ICO entry ${i}: BITMAPINFOHEADER`).toBe(40);
    expect([data.readInt32LE(4), data.readInt32LE(8)], `ICO entry ${i} bitmap size`).toEqual([size, size * 2]);
    return { size, format: 'bmp' as const };
  });
}

/** Bare module names a bundle imports (static, dynamic or require), e.g. `axios`, `node:fs`, `zod/v4`. */
function bareImports(code: string): Set<string> {
  const names = new Set<string>();
  const patterns = [
    /\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?["']([^"'./][^"']*)["']/g,
    /\bexport\s+[\w*{}\s,$]+\s+from\s+["']([^"'./][^"']*)["']/g,
    /\bimport\(\s*["']([^"'./][^"']*)["']\s*\)/g,
    /\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g,
  ];
  for (const p of patterns) for (const m of code.matchAll(p)) names.add(m[1]!);
  return names;
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2) : spec.split('/', 1)).join('/');

describe('electron-builder.yml', () => {
  it('is valid against the schema electron-builder ships', () => {
    expect(problems(readConfig())).toEqual([]);
  });

  it('fails the schema with a misspelt key or a wrong type (so the check above means something)', () => {
    const misspelt = readConfig();
    misspelt.nsis = { ...misspelt.nsis, perMachin: true };
    expect(problems(misspelt).join('\n')).toContain('perMachin');
    const wrongTopLevel = { ...readConfig(), electronFuse: { runAsNode: false } };
    expect(problems(wrongTopLevel).join('\n')).toContain('electronFuse');
    const wrongType = readConfig();
    wrongType.nsis = { ...wrongType.nsis, oneClick: 'no' };
    expect(problems(wrongType).join('\n')).toMatch(/\/nsis\/oneClick must be boolean/);
  });

  it('builds an assisted, per-machine NSIS installer for x64 in Simplified Chinese with both shortcuts', () => {
    const config = readConfig();
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      language: '2052',
      installerLanguages: ['zh_CN'],
      createStartMenuShortcut: true,
      deleteAppDataOnUninstall: false,
    });
    expect([true, 'always']).toContain(config.nsis?.createDesktopShortcut);
    expect(config.asar).toBe(true);
  });

  it('names the installer and the program in ASCII', () => {
    const config = readConfig();
    for (const name of [config.win?.artifactName, config.nsis?.artifactName, config.artifactName]) {
      if (name === undefined) continue;
      expect(name).toMatch(ASCII_FILE_NAME);
    }
    expect(config.win?.artifactName).toMatch(/\$\{version\}.*\.\$\{ext\}$/);
    expect(config.executableName).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('burns the fuses of Electrons security checklist into the packaged binary', () => {
    expect(readConfig().electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has its icons in build/: an ICO with a 256×256 image and smaller ones, and a PNG of 256 or 512', () => {
    const config = readConfig();
    const ico = join(ROOT, config.win?.icon ?? 'build/icon.ico');
    expect(existsSync(ico), ico).toBe(true);
    const entries = icoEntries(readFileSync(ico));
    expect(entries.map((e) => e.size)).toContain(256);
    expect(entries.map((e) => e.size)).toEqual(expect.arrayContaining([16, 32, 48]));
    const png = pngSize(readFileSync(join(ROOT, 'build', 'icon.png')));
    expect(png).not.toBeNull();
    expect(png!.width).toBe(png!.height);
    expect([256, 512]).toContain(png!.width);
  });

  it('packs only the bundled output and package.json, whose main is the bundled host', () => {
    expect(readConfig().files).toEqual(['dist/host/**', 'dist/renderer/**', 'package.json']);
    expect(pkg.main).toBe(APP_FILES.main);
    expect(pkg.scripts['dist:win']).toMatch(/npm run -s build && electron-builder --win nsis --x64/);
  });

  it('ships only what the main process loads at run time as dependencies', () => {
    for (const renderOnly of ['react', 'react-dom', 'antd', 'zustand', 'dayjs', '@tanstack/react-virtual']) {
      expect(pkg.dependencies, renderOnly).not.toHaveProperty(renderOnly);
      expect(pkg.devDependencies, renderOnly).toHaveProperty(renderOnly);
    }
    expect(pkg.dependencies).not.toHaveProperty('electron');
  });
});

describe('the packed files after npm run build', () => {
  beforeAll(ensureAppBuilt, 360_000);

  it('every pattern of files matches files, and main, backend, preload and page exist', () => {
    for (const pattern of readConfig().files ?? []) {
      const matched = globSync(pattern, { cwd: ROOT });
      expect(matched.length, `${pattern} matches nothing`).toBeGreaterThan(0);
    }
    for (const file of Object.values(APP_FILES)) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it("the host bundles import only Node's modules, electron and production dependencies", () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const hostDir = join(ROOT, 'dist', 'host');
    const bundles = readdirSync(hostDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(m?js|cjs)$/.test(f));
    expect(bundles).toEqual(expect.arrayContaining(['main.js', 'backend.js', 'preload.cjs']));
    const unpacked: string[] = [];
    for (const file of bundles) {
      for (const spec of bareImports(readFileSync(join(hostDir, file), 'utf8'))) {
        if (builtins.has(spec) || spec === 'electron' || packageOf(spec) in pkg.dependencies) continue;
        unpacked.push(`${file}: ${spec}`);
      }
    }
    expect(unpacked).toEqual([]);
  });

  it('the sandboxed preload requires nothing but electron', () => {
    const preload = readFileSync(join(ROOT, APP_FILES.preload), 'utf8');
    expect([...bareImports(preload)]).toEqual(['electron']);
  });
});
