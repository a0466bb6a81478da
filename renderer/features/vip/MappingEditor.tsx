/**
 * Which column of the file is which field, when the file's headers are not the template's: each header with a list
 * of the template's column names (or 不导入). Required fields no column gives are named; checking again with the
 * mapping reads the file that way (and the console remembers it for files laid out the same).
 */
import { Alert, Button, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { ImportMapping, ImportPreview } from '../../../shared/contract/vip.ts';
import { fieldLabel, RENEWAL_FIELD_LABELS, RENEWAL_FIELDS } from './fields.ts';

const NOT_IMPORTED = '';
const OPTIONS = [
  { value: NOT_IMPORTED, label: '不导入' },
  ...RENEWAL_FIELDS.map((f) => ({ value: f, label: RENEWAL_FIELD_LABELS[f] })),
];

interface Props {
  preview: ImportPreview;
  busy: boolean;
  onCheck(mapping: ImportMapping): void;
}

/** The last column of a bad-rows file (导出有误的行): never imported, so not worth a word. */
const BAD_ROWS_REASON_HEADER = '错误原因';

/** Headers whose column is not imported (mapping keys are the headers trimmed). */
export function unrecognised(preview: ImportPreview): string[] {
  return preview.headers
    .map((h) => h.trim())
    .filter((h) => h !== '' && h !== BAD_ROWS_REASON_HEADER && !preview.mapping[h]);
}

export function MappingEditor({ preview, busy, onCheck }: Props) {
  const [mapping, setMapping] = useState<ImportMapping>(preview.mapping);
  useEffect(() => setMapping(preview.mapping), [preview.mapping]);
  const missing = preview.missing;
  const ignored = unrecognised(preview);
  const [open, setOpen] = useState(missing.length > 0);
  useEffect(() => setOpen(missing.length > 0), [missing.length]);

  const twice = useMemo(() => {
    const seen = new Map<string, number>();
    for (const f of Object.values(mapping)) if (f) seen.set(f, (seen.get(f) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([f]) => f);
  }, [mapping]);
  const stillMissing = missing.filter((f) => !Object.values(mapping).includes(f));

  return (
    <section className="vip-mapping" data-testid="vip-mapping" aria-label="列的对应">
      {missing.length > 0 ? (
        <Alert
          type="error"
          showIcon
          title={
            <span data-testid="vip-missing">
              表格缺少必需的列: {missing.map(fieldLabel).join('、')}. 请在下面指明哪一列是它, 或按模板修改表格.
            </span>
          }
        />
      ) : (
        <div className="vip-mapping-summary">
          <span>
            {ignored.length > 0 ? `有 ${ignored.length} 列未识别, 不会导入: ${ignored.join('、')}` : '各列已按列名识别'}
          </span>
          <Button size="small" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="vip-mapping-toggle">
            {open ? '收起列的对应' : '查看或调整列的对应'}
          </Button>
        </div>
      )}
      {open ? (
        <>
          <div className="vip-mapping-grid">
            {preview.headers.map((raw, i) => {
              const h = raw.trim();
              if (h === '' || h === BAD_ROWS_REASON_HEADER) return null;
              const id = `vip-map-${i}`;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the file's columns in its order (names may repeat)
                <div className="vip-mapping-item" key={i}>
                  <label htmlFor={id} className="vip-mapping-header" title={h}>
                    {h}
                  </label>
                  <Select
                    id={id}
                    data-testid={`vip-map-${i}`}
                    value={mapping[h] ?? NOT_IMPORTED}
                    onChange={(v: string) => setMapping((m) => ({ ...m, [h]: v === NOT_IMPORTED ? null : v }))}
                    options={OPTIONS}
                    status={mapping[h] && twice.includes(mapping[h]!) ? 'error' : ''}
                    style={{ width: '100%' }}
                    aria-label={`列「${h}」对应的字段`}
                  />
                </div>
              );
            })}
          </div>
          <div className="vip-mapping-actions">
            <Button
              type="primary"
              onClick={() => onCheck(mapping)}
              disabled={busy || twice.length > 0}
              data-testid="vip-mapping-apply"
            >
              按此对应重新检查
            </Button>
            {twice.length > 0 ? (
              <span className="vip-warn">同一字段对应了多列: {twice.map(fieldLabel).join('、')}</span>
            ) : stillMissing.length > 0 ? (
              <span className="vip-warn">仍缺少: {stillMissing.map(fieldLabel).join('、')}</span>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
