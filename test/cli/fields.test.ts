/**
 * `cli fields`: every field of an endpoint with its Chinese label, whether required and its format, read off the
 * record schemas. The label table beside the schemas covers every schema field (and nothing else), so the list
 * cannot drift from what the console checks.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../electron/cli/commands/fields.ts';
import { ENDPOINT_NAMES, type Endpoint } from '../../shared/platform/endpoints.ts';
import { PAY_TYPES, PLATE_COLORS, VIP_TYPES } from '../../shared/records/enums.ts';
import { describeFields, FIELD_LABELS, type FieldDoc } from '../../shared/records/field-docs.ts';
import { leaveRecordSchema, paymentSchema } from '../../shared/records/leave.ts';
import { updateRecordSchema } from '../../shared/records/update.ts';
import { vipBatchSchema, vipRowSchema } from '../../shared/records/vip-recharge.ts';

const REPO_ROOT = join(import.meta.dirname, '../..');
const CLI = join(REPO_ROOT, 'electron/cli/main.ts');

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 }, (_e, out, err) =>
      resolve({ code: child.exitCode, out, err }),
    );
  });
}

/** Every field of the schemas, read from their shapes directly (not through the describer). */
const SCHEMA_FIELDS: Record<Endpoint, string[]> = {
  update: Object.keys(updateRecordSchema.shape),
  leave: [
    ...Object.keys(leaveRecordSchema.shape),
    ...Object.keys(paymentSchema.shape).map((k) => `payment_list[].${k}`),
  ],
  'vip-recharge': [...Object.keys(vipBatchSchema.shape), ...Object.keys(vipRowSchema.shape).map((k) => `row[].${k}`)],
};

const described = new Map<Endpoint, Map<string, FieldDoc>>();
function doc(endpoint: Endpoint, field: string): FieldDoc {
  if (!described.has(endpoint)) described.set(endpoint, new Map(describeFields(endpoint).map((d) => [d.field, d])));
  return described.get(endpoint)!.get(field)!;
}

describe('the field list of each endpoint', () => {
  it.each(ENDPOINT_NAMES)('%s: one label per schema field, no label without a field, every format read', (e) => {
    expect(Object.keys(FIELD_LABELS[e]).sort()).toEqual([...SCHEMA_FIELDS[e]].sort());
    const docs = describeFields(e);
    expect(docs.map((d) => d.field).sort()).toEqual([...SCHEMA_FIELDS[e]].sort());
    for (const d of docs) {
      expect(d.label, d.field).toMatch(/\p{Script=Han}/u);
      expect(d.kind, `${e} ${d.field}: ${d.format}`).not.toBe('unknown');
    }
  });

  it('says what the schemas check: required, text lengths, keys, enumerations with labels, times, amounts', () => {
    expect(doc('update', 'flow_no')).toMatchObject({ required: true, kind: 'key', maxLength: 64, key: true });
    expect(doc('update', 'car_desc')).toMatchObject({ required: false, kind: 'text', maxLength: 64 });
    expect(doc('update', 'reason')).toMatchObject({ required: true, kind: 'text', maxLength: 200 });
    expect(doc('update', 'operate_time')).toMatchObject({ required: true, kind: 'utc-time' });
    expect(doc('update', 'plate').format).toContain('无牌车');
    expect(doc('update', 'plate_color').values).toEqual(PLATE_COLORS.map((o) => ({ value: o.value, label: o.label })));

    expect(doc('leave', 'parking_serial')).toMatchObject({ required: true, kind: 'key', key: true });
    expect(doc('leave', 'plate')).toMatchObject({ required: false, kind: 'plate' });
    expect(doc('leave', 'charge_type')).toMatchObject({ required: true, kind: 'text' });
    expect(doc('leave', 'enter_time')).toMatchObject({ required: true, kind: 'epoch-ms' });
    expect(doc('leave', 'total_value')).toMatchObject({ required: false, kind: 'fen-text' });
    expect(doc('leave', 'leave_image_file')).toMatchObject({ kind: 'file' });
    expect(doc('leave', 'leave_image_hash')).toMatchObject({ kind: 'md5' });
    expect(doc('leave', 'payment_list')).toMatchObject({ required: false, kind: 'list', max: 50 });
    expect(doc('leave', 'payment_list').format).toContain('JSON 文本');
    expect(doc('leave', 'payment_list[].pay_type').values).toEqual(
      PAY_TYPES.map((o) => ({ value: o.value, label: o.label })),
    );
    expect(doc('leave', 'payment_list[].value')).toMatchObject({ kind: 'fen-number' });
    expect(doc('leave', 'payment_list[].parking_order')).toMatchObject({ kind: 'key' });
    expect(doc('leave', 'payment_list[].parking_order').key).toBeUndefined();

    expect(doc('vip-recharge', 'complete')).toMatchObject({ required: false, kind: 'enum' });
    expect(doc('vip-recharge', 'complete').values?.map((v) => v.value)).toEqual(['0', '1']);
    expect(doc('vip-recharge', 'row')).toMatchObject({ required: true, kind: 'list', min: 1, max: 1000 });
    expect(doc('vip-recharge', 'row[].plate')).toMatchObject({ required: true, kind: 'plate' });
    expect(doc('vip-recharge', 'row[].plate').format).toContain('不能为 无牌车');
    expect(doc('vip-recharge', 'row[].vip_type').values?.map((v) => v.label)).toEqual(VIP_TYPES.map((o) => o.label));
    expect(doc('vip-recharge', 'row[].quantity')).toMatchObject({ kind: 'integer', min: 0, max: 100_000 });
    expect(doc('vip-recharge', 'row[].pay_partner')).toMatchObject({ required: true, kind: 'key', key: true });
    expect(doc('vip-recharge', 'row[].pay_value')).toMatchObject({ required: false, kind: 'fen-number' });
    expect(doc('vip-recharge', 'row[].renewal_end_time').format).toContain('2099');
  });
});

describe('cli fields', () => {
  it('prints an aligned table: every field with its label, 是/否 and format', async () => {
    const r = await cli('fields', '--endpoint', 'leave');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    const header = lines.findIndex((l) => l.startsWith('字段'));
    expect(header).toBeGreaterThan(0);
    const docs = describeFields('leave');
    const rows = lines.slice(header + 1, header + 1 + docs.length);
    // Columns line up on a terminal: the required column starts at the same width on every line.
    const requiredAt = (line: string, required: string) => displayWidth(line.slice(0, line.indexOf(`  ${required}  `)));
    const at = requiredAt(lines[header]!, '必填');
    docs.forEach((d, i) => {
      const row = rows[i]!;
      expect(row.startsWith(`${d.field} `)).toBe(true);
      expect(row).toContain(d.label);
      expect(row).toContain(d.format);
      expect(requiredAt(row, d.required ? '是' : '否'), row).toBe(at);
    });
    expect(r.out).toContain('payment_list[].pay_type');
    expect(r.out).toContain('8 优惠券全额抵扣');
  });

  it('--json prints one JSON object per field and line', async () => {
    for (const endpoint of ENDPOINT_NAMES) {
      const r = await cli('fields', '--endpoint', endpoint, '--json');
      expect(r.code, r.err).toBe(0);
      const lines = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.field)).toEqual(describeFields(endpoint).map((d) => d.field));
      for (const l of lines) {
        expect(l).toMatchObject({ endpoint, label: expect.any(String), required: expect.any(Boolean) });
        expect(l.format).toEqual(expect.any(String));
      }
    }
  });

  it('refuses a missing or unknown endpoint in one line', async () => {
    const none = await cli('fields');
    expect(none.code).toBe(2);
    expect(none.err.trim()).toBe('fields: 缺少 --endpoint');
    const bad = await cli('fields', '--endpoint', 'release');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('update | leave | vip-recharge');
  });

  it('the README points to it, not to a folder outside the repository', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm run -s cli -- fields --endpoint');
    expect(readme).not.toMatch(/\]\(\.\.\/|`\.\.\/shared\/spec/);
  });
});
