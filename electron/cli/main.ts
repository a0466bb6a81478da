/**
 * `npm run -s cli -- <command>`: the main-process services without a window, for installers,
 * support and tests. Bad arguments or files get one clear line and a non-zero exit, never a stack.
 */
import { RecordError } from '../../shared/records/fields.ts';
import { redactSecret } from '../platform/sign.ts';
import { storageMessage } from '../queue/storage-errors.ts';
import { WorkerBusyError } from '../queue/worker-lock.ts';
import { CliError } from './args.ts';
import { drainCommand, drainUsage } from './commands/drain.ts';
import { enqueueCommand, enqueueUsage } from './commands/enqueue.ts';
import { fieldsCommand, fieldsUsage } from './commands/fields.ts';
import { importVipCommand, importVipUsage } from './commands/import-vip.ts';
import { logCommand, logUsage } from './commands/log.ts';
import { pushCommand, pushUsage } from './commands/push.ts';
import { sandboxCommand, sandboxUsage } from './commands/sandbox.ts';
import { signCommand, signUsage } from './commands/sign.ts';
import { statusCommand, statusUsage } from './commands/status.ts';
import { vipTemplateCommand, vipTemplateUsage } from './commands/vip-template.ts';
import { secretsOf } from './secret.ts';

type Command = (argv: readonly string[], out: (line: string) => void) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  sign: { run: signCommand, usage: signUsage },
  push: { run: pushCommand, usage: pushUsage },
  sandbox: { run: sandboxCommand, usage: sandboxUsage },
  enqueue: { run: enqueueCommand, usage: enqueueUsage },
  drain: { run: drainCommand, usage: drainUsage },
  status: { run: statusCommand, usage: statusUsage },
  log: { run: logCommand, usage: logUsage },
  fields: { run: fieldsCommand, usage: fieldsUsage },
  'import-vip': { run: importVipCommand, usage: importVipUsage },
  'vip-template': { run: vipTemplateCommand, usage: vipTemplateUsage },
};

function usage(): string {
  return ['用法: npm run -s cli -- <命令>', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

/** Whether the reader of stdout has gone (`cli fields … | head`): the command then finishes without printing. */
let stdoutGone = false;

export async function runCli(
  argv: readonly string[],
  out: (line: string) => void = (l) => {
    if (!stdoutGone) process.stdout.write(`${l}\n`);
  },
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    out(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  try {
    if (!command) throw new CliError(`未知命令 "${name}"\n${usage()}`);
    return await command.run(rest, out);
  } catch (e) {
    let line: string;
    let code = 2;
    if (e instanceof CliError) {
      line = e.message;
      code = e.exitCode;
    } else if (e instanceof RecordError) {
      line = e.message;
    } else if (e instanceof WorkerBusyError) {
      line = `${name}: ${e.message}`;
      code = 3;
    } else {
      line = storageMessage(e) ?? `内部错误: ${e instanceof Error ? e.message : String(e)}`;
      code = 70;
    }
    // Whichever source the secret came from (--secret, --secret-file, PYUN_APP_SECRET), no message echoes it.
    for (const secret of secretsOf(rest)) line = redactSecret(line, secret);
    process.stderr.write(`${line}\n`);
    return code;
  }
}

if (import.meta.main) {
  // A closed pipe is not an error of the command: without this, Node dies with a stack trace on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutGone = true;
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
