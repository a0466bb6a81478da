/**
 * `push`: build, sign and send one record once; print the outcome as one JSON line. It takes the file
 * `sign` takes (see platform-file.ts); whatever the platform echoes of the secret is printed as ***.
 */
import { ENDPOINT_NAMES } from '../../../shared/platform/endpoints.ts';
import { countsAsAccepted } from '../../../shared/platform/outcome.ts';
import { createPlatformClient, redactOutcome } from '../../platform/client.ts';
import { prepareRequest } from '../../platform/prepare.ts';
import type { PlatformTarget } from '../../platform/target.ts';
import { CliError, intFlag, oneOf, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { mergeCredentials, readPlatformFile } from '../platform-file.ts';
import { SECRET_FLAGS, resolveSecret } from '../secret.ts';

export const pushUsage =
  'push --endpoint update|leave|vip-recharge --file F.json --base-url URL ' +
  '(--secret S | --secret-file F | 环境变量 PYUN_APP_SECRET) [--park-uuid P] [--app-id A] [--api-type T] ' +
  '[--mode integration|production] [--encoding-url] [--timeout-ms N]';

export function targetFromFlags(
  command: string,
  values: Record<string, string>,
  switches: Set<string>,
): PlatformTarget {
  let url: URL;
  try {
    url = new URL(values['base-url']!);
  } catch {
    // new URL's own message is English and says less than this one.
    throw new CliError(`${command}: --base-url 不是合法地址: ${values['base-url']}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`${command}: --base-url 须为 http(s) 地址`);
  return {
    baseUrl: url.toString(),
    parkUuid: values['park-uuid']!,
    appSecret: values.secret!,
    appId: values['app-id'],
    apiType: values['api-type'],
    encodingUrl: switches.has('encoding-url'),
    mode: oneOf(command, 'mode', values.mode, ['integration', 'production'] as const) ?? 'integration',
  };
}

export async function pushCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, switches } = parseArgs('push', argv, {
    values: ['endpoint', 'file', 'base-url', 'park-uuid', ...SECRET_FLAGS, 'app-id', 'api-type', 'mode', 'timeout-ms'],
    switches: ['encoding-url'],
    required: ['endpoint', 'file', 'base-url'],
  });
  const endpoint = oneOf('push', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  const secret = await resolveSecret('push', values);
  // Relative to the folder the command was typed in (npm's INIT_CWD), not to the package root npm runs it in.
  const file = await readPlatformFile(callerPath(values.file!), endpoint);
  const merged = mergeCredentials('push', { ...values, secret }, switches, file);
  const target = targetFromFlags('push', merged.values, merged.switches);
  const request = await prepareRequest(endpoint, file.record, target);
  const client = createPlatformClient({ timeoutMs: intFlag('push', 'timeout-ms', values['timeout-ms'], 100, 600_000) });
  try {
    const o = redactOutcome(await client.send(request), secret);
    out(
      JSON.stringify({
        outcome: o.outcome,
        code: o.code,
        message: o.message,
        hint: o.hint,
        seqno: o.seqno,
        httpStatus: o.httpStatus,
        latencyMs: o.latencyMs,
        error: o.error,
        ...(o.diagnosis ? { diagnosis: o.diagnosis } : {}),
      }),
    );
    return countsAsAccepted(o.outcome, target.mode) ? 0 : 1;
  } finally {
    client.close();
  }
}
