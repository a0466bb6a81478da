/** `sandbox`: the embedded platform in the foreground, for installers and manual tests. */
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET, startSandbox } from '../../sandbox/server.ts';
import { intFlag, parseArgs } from '../args.ts';

export const sandboxUsage = 'sandbox [--port N] [--park-uuid P] [--secret S] [--token T]';

export async function sandboxCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('sandbox', argv, { values: ['port', 'park-uuid', 'secret', 'token'] });
  const port = intFlag('sandbox', 'port', values.port, 0, 65535) ?? 0;
  const park = values['park-uuid'] ?? SANDBOX_DEFAULT_PARK;
  const sandbox = await startSandbox({
    port,
    parks: { [park]: values.secret ?? SANDBOX_DEFAULT_SECRET },
    ...(values.token ? { token: values.token } : {}),
  });
  out(sandbox.url);
  process.stderr.write(
    `沙箱平台已启动 park_uuid=${park}; ` +
      `状态: ${sandbox.url}/__sandbox/state (请求头 x-sandbox-token: ${sandbox.token}); Ctrl+C 退出\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}
