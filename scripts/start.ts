/**
 * `npm start [-- args]`: the console as the desktop program where Electron's binary is on this machine (building
 * dist/ first when its sources are newer), else the preview host in a browser (`npm run preview`), said in one line.
 * Electron's binary is fetched by its own installer (`node node_modules/electron/install.js`), which npm does not run
 * here (package.json allowScripts); a machine with no route to Electron's downloads never has it.
 *
 * The binary is looked up as node_modules/electron/index.js does (path.txt, dist/, ELECTRON_OVERRIDE_DIST_PATH) but
 * without requiring that file: when the binary is missing it starts a download, which is what must not happen here.
 * Arguments go to the program started, its exit code is this command's, and SIGINT / SIGTERM reach it once.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '../electron/preview/build.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUILT = ['dist/host/main.js', 'dist/host/backend.js', 'dist/host/preload.cjs', 'dist/renderer/index.html'];
const SOURCES = ['electron', 'shared', 'renderer', 'package.json'];

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/** Where Electron's binary is, or why there is none, without starting its download. */
export function findElectronBinary(root = ROOT, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    // Not installed at all (npm ci --omit=dev): the reason says so.
    return { found: false, reason: 'electron 包未安装 (npm ci)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path) ? { found: true, path } : { found: false, reason: `${path} 不存在` };
  }
  if (relative === null) return { found: false, reason: `${pathFile} 不存在` };
  const path = join(pkgDir, 'dist', relative);
  return existsSync(path) ? { found: true, path } : { found: false, reason: `${path} 不存在` };
}

/** Whether dist/ is missing a file the app loads, or is older than its sources. */
export function buildIsStale(root = ROOT): boolean {
  const built = BUILT.map((f) => join(root, f));
  if (!built.every((f) => existsSync(f))) return true;
  const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  return SOURCES.some((s) => existsSync(join(root, s)) && newestMtime(join(root, s)) > oldestBuilt);
}

function build(): void {
  process.stderr.write('正在构建 (npm run build)…\n');
  // Through npm, so that package.json's build script stays the one definition of the build.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' })
    : spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write('构建失败 (build failed), 见上面的输出\n');
    process.exit(result.status ?? 1);
  }
}

/**
 * Runs `command`, forwards SIGINT, SIGTERM and SIGHUP to it and exits with its code. On POSIX the child has a process
 * group of its own, so a Ctrl+C in the terminal reaches it once (through here) rather than twice; on Windows the
 * console delivers Ctrl+C to it directly.
 */
function runForwarding(command: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  const posix = process.platform !== 'win32';
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env, detached: posix, windowsHide: false });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (posix && child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (e) => {
    process.stderr.write(`无法启动 ${command}: ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
  });
  return child;
}

/** The preview's `--data-dir D` is Electron's `--user-data-dir=D` (where the desktop program keeps its data). */
export function electronArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir' && args[i + 1] !== undefined) out.push(`--user-data-dir=${args[++i]}`);
    else if (a.startsWith('--data-dir=')) out.push(`--user-data-dir=${a.slice('--data-dir='.length)}`);
    else out.push(a);
  }
  return out;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const electron = findElectronBinary();
  if (electron.found) {
    if (buildIsStale()) build();
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node
    runForwarding(electron.path, [ROOT, ...electronArgs(args)], env);
  } else {
    process.stderr.write(
      `未找到 Electron 程序 (Electron binary not installed: ${electron.reason}; ` +
        '可用 node node_modules/electron/install.js 下载); 改为打开浏览器预览 (opening the browser preview instead)\n',
    );
    runForwarding(process.execPath, [join(ROOT, 'electron', 'preview', 'main.ts'), ...args], process.env);
  }
}
