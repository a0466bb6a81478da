/**
 * `sign`: what an installer compares with the platform's hint when it says 签名验证不通过. It takes the file
 * `push` takes and signs it exactly as `push` would send it (prepareRequest: image files hashed, never
 * signed themselves); vip-recharge signs the exact body text of the file.
 */
import { ENDPOINT_NAMES } from '../../../shared/platform/endpoints.ts';
import { prepareRequest } from '../../platform/prepare.ts';
import { signJson } from '../../platform/sign.ts';
import { oneOf, parseArgs } from '../args.ts';
import { callerPath, readText } from '../files.ts';
import { mergeCredentials, readPlatformFile, signingTarget } from '../platform-file.ts';
import { SECRET_FLAGS, resolveSecret } from '../secret.ts';

export const signUsage =
  'sign --endpoint update|leave|vip-recharge --file F.json (--secret S | --secret-file F | 环境变量 PYUN_APP_SECRET) ' +
  '[--park-uuid P] [--app-id A] [--api-type T] [--encoding-url]';

export async function signCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, switches } = parseArgs('sign', argv, {
    values: ['endpoint', 'file', ...SECRET_FLAGS, 'park-uuid', 'app-id', 'api-type'],
    switches: ['encoding-url'],
    required: ['endpoint', 'file'],
  });
  const endpoint = oneOf('sign', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  const secret = await resolveSecret('sign', values);
  // Relative to the folder the command was typed in (npm's INIT_CWD), not to the package root npm runs it in.
  const path = callerPath(values.file!);
  if (endpoint === 'vip-recharge') {
    const signed = signJson(await readText(path), secret);
    out(signed.plainMasked);
    out(signed.signature);
    return 0;
  }
  const file = await readPlatformFile(path, endpoint);
  const merged = mergeCredentials('sign', values, switches, file);
  const request = await prepareRequest(endpoint, file.record, signingTarget(merged.values, merged.switches, secret));
  out(request.plainMasked);
  out(request.signature);
  return 0;
}
