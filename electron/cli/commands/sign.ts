/** `sign`: what an installer compares with the platform's hint when it says 签名验证不通过. */
import { ENDPOINT_NAMES } from '../../../shared/platform/endpoints.ts';
import { signForm, signJson } from '../../platform/sign.ts';
import { CliError, oneOf, parseArgs } from '../args.ts';
import { readJsonObject, readText } from '../files.ts';

export const signUsage = 'sign --endpoint update|leave|vip-recharge --secret S --file F.json';

export async function signCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('sign', argv, { values: ['endpoint', 'secret', 'file'], required: ['endpoint', 'secret', 'file'] });
  const endpoint = oneOf('sign', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  const secret = values.secret!;
  if (endpoint === 'vip-recharge') {
    const signed = signJson(await readText(values.file!), secret);
    out(signed.plainMasked);
    out(signed.signature);
    return 0;
  }
  const raw = await readJsonObject(values.file!);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') throw new CliError(`sign: 参数 ${k} 须为字符串 (payment_list 请给出其 JSON 字符串)`);
    params[k] = String(v);
  }
  const signed = signForm(params, secret);
  out(signed.plainMasked);
  out(signed.signature);
  return 0;
}
