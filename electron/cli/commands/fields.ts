/**
 * `fields`: every field of an endpoint with its Chinese label, whether it is required and its format, read off
 * the record schemas (shared/records/field-docs.ts), so what it prints is what `enqueue`, `sign` and `push` check.
 * Aligned text by default; `--json` prints one JSON object per field and line.
 */
import { ENDPOINT_NAMES, ENDPOINTS } from '../../../shared/platform/endpoints.ts';
import { describeFields, type FieldDoc } from '../../../shared/records/field-docs.ts';
import { oneOf, parseArgs } from '../args.ts';

export const fieldsUsage = 'fields --endpoint update|leave|vip-recharge [--json]';

/** Columns a terminal gives a text: Han characters, full-width forms and the like take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const c of text) w += /[\p{Script=Han}\u3000-\u303f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1;
  return w;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

function table(docs: readonly FieldDoc[]): string[] {
  const rows = [
    ['字段', '名称', '必填', '格式'],
    ...docs.map((d) => [d.field, d.label, d.required ? '是' : '否', d.key ? `${d.format} (幂等键)` : d.format]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => displayWidth(r[i]!))));
  return rows.map((r) => r.map((cell, i) => (i < 3 ? pad(cell, widths[i]!) : cell)).join('  '));
}

export async function fieldsCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, switches } = parseArgs('fields', argv, {
    values: ['endpoint'],
    switches: ['json'],
    required: ['endpoint'],
  });
  const endpoint = oneOf('fields', 'endpoint', values.endpoint, ENDPOINT_NAMES)!;
  const docs = describeFields(endpoint);
  if (switches.has('json')) {
    for (const d of docs) out(JSON.stringify({ endpoint, ...d }));
    return 0;
  }
  const info = ENDPOINTS[endpoint];
  out(`${endpoint}: ${info.label} (POST ${info.path}, ${info.body === 'json' ? 'JSON 请求体' : '表单'})`);
  out('');
  for (const line of table(docs)) out(line.trimEnd());
  out('');
  const fromSettings = {
    update: 'park_uuid、app_id、api_type、encoding',
    leave: 'park_uuid、app_id、encoding',
    'vip-recharge': 'park_uuid',
  }[endpoint];
  out(`${fromSettings} 来自设置或命令行参数 (--park-uuid 等; sign/push 的文件中也可写); 签名 sign 不用写。`);
  out('非必填的字段不写、写 null 或空文本, 都是不传。');
  return 0;
}
