/**
 * 批量导入: pick a spreadsheet (.xlsx / .csv, the template's columns), see it checked row by row with a large
 * progress bar, then the preview: how many rows can be imported, were uploaded before (not errors, not queued
 * again), are wrong (with row, column and reason; exportable as a file to fix). Importing queues the good rows in
 * batches; 完整上传 (the platform empties the park's list first) is separate and asks for the car park's name.
 */
import { Alert, Button, InputNumber, Space } from 'antd';
import { useState } from 'react';
import type { ImportPreview } from '../../../shared/contract/vip.ts';
import { IMPORT_PHASE_LABELS } from '../../../shared/contract/vip.ts';
import { ProgressPanel } from '../../components/ProgressPanel.tsx';
import { useConsole } from '../../stores/console.ts';
import { FullUploadConfirm } from './FullUploadConfirm.tsx';
import { ImportPreviewTable } from './ImportPreviewTable.tsx';
import { ImportResult } from './ImportResult.tsx';
import { MappingEditor, unrecognised } from './MappingEditor.tsx';
import {
  check,
  commit,
  downloadTemplate,
  exportBadRows,
  isBusy,
  pickAndCheck,
  type RowFilter,
  resetImport,
  useImport,
} from './store.ts';

const n = (x: number) => x.toLocaleString('zh-CN');

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const TILES: { filter: RowFilter; id: string; label: string; count: (p: ImportPreview) => number }[] = [
  { filter: 'all', id: 'total', label: '总行数 (全部)', count: (p) => p.rows },
  { filter: 'good', id: 'good', label: '可导入', count: (p) => p.good },
  { filter: 'already', id: 'already', label: '已上传过', count: (p) => p.alreadySent },
  { filter: 'bad', id: 'bad', label: '有误', count: (p) => p.badRows },
];

/** The four counts, each also the filter of the list under it. */
function Counts({ preview }: { preview: ImportPreview }) {
  const filter = useImport((s) => s.filter);
  const setFilter = useImport((s) => s.setFilter);
  return (
    <fieldset className="vip-counts">
      <legend className="vip-sr-only">按状态筛选表格各行</legend>
      {TILES.map((t) => (
        <button
          key={t.id}
          type="button"
          className={`vip-count vip-count-${t.id}${filter === t.filter ? ' vip-count-on' : ''}`}
          aria-pressed={filter === t.filter}
          onClick={() => setFilter(t.filter)}
          data-testid={`vip-filter-${t.filter}`}
        >
          <span className="vip-count-n" data-testid={`vip-count-${t.id}`}>
            {n(t.count(preview))}
          </span>
          <span className="vip-count-label">{t.label}</span>
        </button>
      ))}
    </fieldset>
  );
}

export function ImportPanel() {
  const { stage, file, progress, preview, filter, error, notice, result, batchSize, setBatchSize } = useImport();
  const parkName = useConsole((s) => s.settings?.parkName ?? '');
  const [fullOpen, setFullOpen] = useState(false);
  const [fullError, setFullError] = useState<string | null>(null);
  const busy = isBusy(stage);
  const blocked = preview !== null && preview.missing.length > 0;
  const fullRows = preview ? preview.good + preview.alreadySent : 0;

  const confirmFull = async (typed: string) => {
    setFullError(null);
    const failed = await commit({ confirmParkName: typed });
    if (failed) setFullError(failed);
    else setFullOpen(false);
  };

  const phase = progress ? IMPORT_PHASE_LABELS[progress.phase] : stage === 'committing' ? '写入上传队列' : '读取文件';
  const progressPanel = (
    <ProgressPanel
      testId="vip-progress"
      title={phase}
      done={progress?.done ?? 0}
      total={progress?.total ?? 0}
      subject={file ? file.name : undefined}
    />
  );

  return (
    <div className="vip-import" data-testid="vip-import">
      <div className="vip-toolbar">
        <Button
          type="primary"
          size="large"
          onClick={() => void pickAndCheck()}
          disabled={busy}
          data-testid="vip-pick-file"
        >
          选择文件 (.xlsx / .csv)
        </Button>
        <Button size="large" onClick={() => void downloadTemplate()} data-testid="vip-template">
          下载模板
        </Button>
        {file ? (
          <span className="vip-file" data-testid="vip-file">
            <b>{file.name}</b> <span className="vip-muted">{sizeText(file.size)}</span>
          </span>
        ) : (
          <span className="vip-muted">表格第一行为列名 (与模板相同); 日期按车场当地日期填写, 金额以元填写</span>
        )}
        {file && !busy ? (
          <Space size={8} className="vip-toolbar-end">
            <Button onClick={() => void check()} data-testid="vip-recheck">
              重新检查
            </Button>
            <Button onClick={resetImport}>清除</Button>
          </Space>
        ) : null}
      </div>

      {error ? (
        <Alert type="error" showIcon title={error} className="vip-alert" data-testid="vip-import-error" role="alert" />
      ) : null}
      {notice ? (
        <Alert
          type={notice.saved ? 'success' : 'info'}
          showIcon
          title={notice.text}
          className="vip-alert"
          data-testid="vip-notice"
          closable={{ onClose: () => useImport.setState({ notice: null }) }}
        />
      ) : null}

      {busy && !fullOpen ? progressPanel : null}

      {result ? (
        <ImportResult outcome={result} badRows={preview?.badRows ?? 0} onAnother={() => void pickAndCheck()} />
      ) : null}

      {preview && !busy && !result ? (
        <section className="vip-preview" data-testid="vip-preview" aria-label="检查结果">
          {preview.missing.length > 0 || unrecognised(preview).length > 0 ? (
            <MappingEditor preview={preview} busy={busy} onCheck={(m) => void check(m)} />
          ) : null}
          <div className="vip-actions">
            <Button
              type="primary"
              size="large"
              disabled={blocked || preview.good === 0}
              onClick={() => void commit(null)}
              data-testid="vip-commit"
            >
              导入可导入的 {n(preview.good)} 行
            </Button>
            <span className="vip-batch">
              <label htmlFor="vip-batch-size">每批</label>
              <InputNumber
                id="vip-batch-size"
                data-testid="vip-batch-size"
                min={1}
                max={1000}
                precision={0}
                value={batchSize ?? preview.batchSize}
                onChange={(v) => setBatchSize(typeof v === 'number' ? v : null)}
                style={{ width: 90 }}
              />
              <span>条</span>
            </span>
            {preview.badRows > 0 ? (
              <Button onClick={() => void exportBadRows()} data-testid="vip-export-bad">
                导出有误的行 ({n(preview.badRows)})
              </Button>
            ) : null}
            <Button
              danger
              className="vip-full-button"
              disabled={blocked || fullRows === 0}
              onClick={() => {
                setFullError(null);
                setFullOpen(true);
              }}
              data-testid="vip-full-upload"
            >
              完整上传 (先清空平台固定车)…
            </Button>
          </div>
          <ImportPreviewTable
            list={preview.list}
            issues={preview.issues}
            filter={filter}
            toolbar={<Counts preview={preview} />}
          />
        </section>
      ) : null}

      <FullUploadConfirm
        open={fullOpen}
        parkName={parkName}
        rows={fullRows}
        badRows={preview?.badRows ?? 0}
        busy={stage === 'committing'}
        progress={progressPanel}
        error={fullError}
        onCancel={() => setFullOpen(false)}
        onConfirm={(typed) => void confirmFull(typed)}
        onExportBad={() => void exportBadRows()}
      />
    </div>
  );
}
