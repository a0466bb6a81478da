/**
 * `sandbox`: the embedded platform in the foreground, for installers and manual tests. Prints its URL on stdout
 * (one line, for scripts) and, on stderr, its park_uuid and secret as the console's settings and as push/drain
 * flags take them.
 */
import { SANDBOX_DEFAULT_PARK, SANDBOX_DEFAULT_SECRET, startSandbox } from '../../sandbox/server.ts';
import { intFlag, parseArgs } from '../args.ts';

export const sandboxUsage = 'sandbox [--port N] [--park-uuid P] [--secret S] [--token T]';

export async function sandboxCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('sandbox', argv, { values: ['port', 'park-uuid', 'secret', 'token'] });
  const port = intFlag('sandbox', 'port', values.port, 0, 65535) ?? 0;
  const park = values['park-uuid'] ?? SANDBOX_DEFAULT_PARK;
  const secret = values.secret ?? SANDBOX_DEFAULT_SECRET;
  const sandbox = await startSandbox({
    port,
    parks: { [park]: secret },
    ...(values.token ? { token: values.token } : {}),
  });
  out(sandbox.url);
  // For people: what to copy into the console's settings or into push/drain flags. These are the sandbox's own
  // demo credentials (its defaults, or --park-uuid/--secret), never the vendor's: nothing sent here reaches P云.
  process.stderr.write(
    [
      '沙箱平台已启动 (本机的练习平台, 记录不会到达 P云)。以下是沙箱自己的演示凭据, 不是 P云 分配的:',
      `  地址      ${sandbox.url}`,
      `  park_uuid ${park}`,
      `  密钥      ${secret}`,
      `控制台设置: 平台选 自定义地址, 填上面的地址、park_uuid 和密钥。`,
      `命令行 (push、drain): --base-url ${sandbox.url} --park-uuid ${park} --secret ${secret}`,
      `沙箱状态: ${sandbox.url}/__sandbox/state (请求头 x-sandbox-token: ${sandbox.token})。Ctrl+C 退出`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}
