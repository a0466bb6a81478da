/**
 * `npm run preview -- [--data-dir D] [--port N] [--sandbox-port N]`: the console in a browser,
 * on a machine that cannot run Electron. Builds the renderer when needed, starts the backend thread
 * (the console's services, embedded sandbox included, exactly as the Electron host runs them: this
 * process's own thread only serves the page) and prints the address to open, token included, on a
 * line of its own. The data folder defaults to ./.data/preview (never the Electron app's own).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, intFlag, parseArgs } from '../cli/args.ts';
import { startBackend } from '../backend/client.ts';
import { storageMessage } from '../queue/storage-errors.ts';
import { createFileRegistry } from '../services/file-registry.ts';
import { attachLogFileIfPossible } from '../services/log-file.ts';
import { logFolder } from '../services/log-folder.ts';
import { shutdownWithin } from '../services/shutdown.ts';
import { ensureRendererBuilt, RENDERER_OUT, REPO_ROOT } from './build.ts';
import { startPreviewHost } from './server.ts';

export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.data', 'preview');
const USAGE = '用法: npm run preview -- [--data-dir 目录] [--port 端口] [--sandbox-port 端口]';

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs('preview', argv, { values: ['data-dir', 'port', 'sandbox-port'] });
  const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);
  const port = intFlag('preview', 'port', values.port, 0, 65535) ?? 0;
  const sandboxPort = intFlag('preview', 'sandbox-port', values['sandbox-port'], 0, 65535) ?? 0;
  const err = (line: string) => process.stderr.write(`${line}\n`);

  await ensureRendererBuilt(err);
  mkdirSync(dataDir, { recursive: true });
  const logFile = attachLogFileIfPossible(dataDir);
  const files = createFileRegistry();
  const backend = await startBackend({ dataDir, sandboxPort, files, holder: '岗亭控制台 (浏览器预览)' });
  const host = await startPreviewHost({
    console: backend,
    staticDir: RENDERER_OUT,
    port,
    files,
    exportPath: backend.exportPath,
    logFolder: logFolder(dataDir),
  });
  const { sandboxUrl, startupWarning } = backend.info();
  err(`岗亭控制台预览已启动 (数据目录: ${dataDir}; 内置沙箱: ${sandboxUrl ?? '未启动'})`);
  if (startupWarning) err(`警告: ${startupWarning}`);
  err('请在浏览器中打开下面的地址 (含访问令牌); Ctrl+C 退出:');
  process.stdout.write(`${host.url}\n`);

  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  err('正在关闭…');
  // Every step, whatever fails before it, and an exit within the deadline (a dead disk must not hang it).
  await shutdownWithin(
    [
      ['host', () => host.close()],
      ['backend', () => backend.close()],
      ['log', () => logFile?.close()],
    ],
    (code) => process.exit(code),
  );
}

if (import.meta.main) {
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    const why =
      e instanceof CliError
        ? `${e.message}\n${USAGE}`
        : `预览启动失败: ${storageMessage(e) ?? (e instanceof Error ? e.message : String(e))}`;
    process.stderr.write(`${why}\n`);
    // Exit now: whatever was already started (a listening server) must not keep a failed start alive.
    process.exit(e instanceof CliError ? e.exitCode : 1);
  }
}
