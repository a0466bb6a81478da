/** Hand-made header mappings remembered per header set (electron/import/mapping-memory.ts, through conf). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mappingMemory } from '../../electron/import/mapping-memory.ts';
import { setLogSink } from '../../electron/services/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'booth-mappings-'));
  dirs.push(d);
  return d;
};

describe('the import mapping memory', () => {
  it('keeps a mapping per header set (keys with dots too) across openings', () => {
    const dir = folder();
    mappingMemory(dir).put('车牌.号码|金额', { '车牌.号码': 'plate', 金额: 'pay_value' });
    expect(mappingMemory(dir).get('车牌.号码|金额')).toEqual({ '车牌.号码': 'plate', 金额: 'pay_value' });
    expect(mappingMemory(dir).get('别的表头')).toBeUndefined();
  });

  it('reads a file kept by an earlier version (the same JSON object)', () => {
    const dir = folder();
    writeFileSync(join(dir, 'import-mappings.json'), JSON.stringify({ 'a|b': { a: 'plate' } }, null, 2));
    expect(mappingMemory(dir).get('a|b')).toEqual({ a: 'plate' });
  });

  it('keeps the newest 50 header sets', () => {
    const dir = folder();
    const memory = mappingMemory(dir);
    for (let i = 0; i < 55; i++) memory.put(`set-${i}`, { 列: 'plate' });
    const kept = Object.keys(JSON.parse(readFileSync(join(dir, 'import-mappings.json'), 'utf8')) as object);
    expect(kept).toHaveLength(50);
    expect(kept[0]).toBe('set-5');
    expect(memory.get('set-54')).toEqual({ 列: 'plate' });
  });

  it('starts a damaged file afresh (only the convenience is lost), never failing the import', () => {
    const dir = folder();
    writeFileSync(join(dir, 'import-mappings.json'), '{ half a file');
    const lines: string[] = [];
    const previous = setLogSink((l) => lines.push(l));
    try {
      const memory = mappingMemory(dir);
      expect(memory.get('a|b')).toBeUndefined();
      memory.put('a|b', { a: 'plate' });
      expect(mappingMemory(dir).get('a|b')).toEqual({ a: 'plate' });
    } finally {
      setLogSink(previous);
    }
  });
});
