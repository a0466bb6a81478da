/**
 * One push attempt in full: the fields sent, the signed text (secret masked), the reply, the seqno to read out, the
 * signature diagnosis.
 */
import { App, Alert, Button, Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import type { PushLogRow } from '../../shared/contract/queue.ts';
import { ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { type OutcomeKind, OUTCOME_LABELS } from '../../shared/platform/outcome.ts';
import { VipBatchRows } from '../components/VipBatchRows.tsx';
import { openRepush } from '../features/exit/store.ts';
import { formatLocal, formatUtc } from '../time.ts';

/** Outcome badges: dark text on a light tint, each at least 7:1 (WCAG AA asks 4.5:1; antd's preset tags are ~3:1). */
const OUTCOME_STYLES: Record<OutcomeKind, { color: string; background: string; borderColor: string }> = {
  accepted: { color: '#135200', background: '#f6ffed', borderColor: '#95de64' },
  ignored: { color: '#613400', background: '#fffbe6', borderColor: '#ffd666' },
  rejected: { color: '#a8071a', background: '#fff1f0', borderColor: '#ff7875' },
  auth: { color: '#780650', background: '#fff0f6', borderColor: '#ff85c0' },
  retry: { color: '#612500', background: '#fff7e6', borderColor: '#ffc069' },
};

export function OutcomeTag({ outcome }: { outcome: OutcomeKind }) {
  return (
    <Tag style={{ fontSize: 14, fontWeight: 600, ...OUTCOME_STYLES[outcome] }} data-outcome-tag={outcome}>
      {OUTCOME_LABELS[outcome]}
    </Tag>
  );
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (a plain http page): copy through a hidden text area instead.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

interface LogDetailProps {
  row: PushLogRow | null;
  zone: string;
  onClose: () => void;
  /** A leave push offers 补推 / 修改后重推 (not where the detail is opened from that screen itself). */
  repushable?: boolean;
}

export function LogDetail({ row, zone, onClose, repushable = true }: LogDetailProps) {
  const { message } = App.useApp();
  const repush = async (recordId: number) => {
    const problem = await openRepush(recordId);
    if (problem) message.error(problem);
    else onClose();
  };
  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={760}
      title={row ? `推送详情 · ${ENDPOINTS[row.endpoint].label} · ${row.plate ?? row.recordKey}` : ''}
      destroyOnHidden
    >
      {row ? (
        <div data-testid="log-detail">
          <div
            style={{
              display: 'flex',
              alignItems: 'center',
              gap: 12,
              marginBottom: 16,
              padding: 12,
              background: '#f5f5f5',
              borderRadius: 8,
            }}
          >
            <span style={{ fontSize: 18 }}>seqno</span>
            <span className="mono" style={{ fontSize: 22, fontWeight: 700 }} data-testid="detail-seqno">
              {row.seqno ?? '(无)'}
            </span>
            {row.seqno ? (
              <Button
                type="primary"
                data-testid="copy-seqno"
                onClick={async () => {
                  if (await copy(row.seqno!)) message.success('seqno 已复制, 可报给厂商客服');
                  else message.error('复制失败, 请手动选择');
                }}
              >
                复制 seqno
              </Button>
            ) : null}
            {row.endpoint === 'leave' && repushable ? (
              <Button
                style={{ marginLeft: 'auto' }}
                onClick={() => void repush(row.recordId)}
                data-testid="log-repush"
                title="在离场补推中打开这条离场, 可修改后重新推送"
              >
                {row.outcome === 'accepted' ? '补推 / 修改后重推' : '修改后重推'}
              </Button>
            ) : null}
          </div>
          <Descriptions bordered size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="结果">
              <OutcomeTag outcome={row.outcome} />
            </Descriptions.Item>
            <Descriptions.Item label="时间">
              {formatLocal(row.at, zone)} ({zone}) · UTC {formatUtc(row.at)}
            </Descriptions.Item>
            <Descriptions.Item label="记录">
              #{row.recordId} · {row.recordKey} · 第 {row.attempt} 次尝试
            </Descriptions.Item>
            <Descriptions.Item label="地址">
              <span className="mono">
                {row.baseUrl}
                {ENDPOINTS[row.endpoint].path}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="平台应答">
              HTTP {row.httpStatus ?? '—'} · code {row.code ?? '—'} · {row.message ?? ''} · {row.latencyMs} ms
            </Descriptions.Item>
            {row.hint ? <Descriptions.Item label="平台提示 (hint)">{row.hint}</Descriptions.Item> : null}
            {row.error ? <Descriptions.Item label="错误">{row.error}</Descriptions.Item> : null}
          </Descriptions>
          {row.diagnosis ? (
            <Alert
              type={row.diagnosis.identical ? 'info' : 'error'}
              showIcon
              style={{ marginBottom: 16 }}
              title="签名诊断"
              data-testid="signature-diagnosis"
              description={
                <>
                  <div style={{ marginBottom: 8 }}>{row.diagnosis.summary}</div>
                  {row.diagnosis.fields.length > 0 ? (
                    <Table
                      size="small"
                      pagination={false}
                      rowKey="field"
                      dataSource={row.diagnosis.fields}
                      columns={[
                        { title: '字段', dataIndex: 'field' },
                        { title: '我方', dataIndex: 'ours', render: (v: string | null) => v ?? '(无)' },
                        { title: '平台', dataIndex: 'theirs', render: (v: string | null) => v ?? '(无)' },
                      ]}
                    />
                  ) : null}
                </>
              }
            />
          ) : null}
          <h3>发送的字段</h3>
          <Table
            size="small"
            pagination={false}
            rowKey="k"
            dataSource={Object.entries(row.fields).map(([k, v]) => ({ k, v }))}
            columns={[
              { title: '字段', dataIndex: 'k', width: 180, render: (v: string) => <span className="mono">{v}</span> },
              {
                title: '值',
                dataIndex: 'v',
                render: (v: string) => (
                  <span className="mono" style={{ wordBreak: 'break-all' }}>
                    {v}
                  </span>
                ),
              },
            ]}
          />
          {row.endpoint === 'vip-recharge' ? <VipBatchRows recordId={row.recordId} zone={zone} /> : null}
          {row.files.length > 0 ? (
            <>
              <h3 style={{ marginTop: 16 }}>图片</h3>
              {row.files.map((f) => (
                <div key={f.field} className="mono">
                  {f.field}: {f.name} ({f.size} 字节, MD5 {f.md5})
                </div>
              ))}
            </>
          ) : null}
          <h3 style={{ marginTop: 16 }}>签名原文 (密钥已隐去)</h3>
          <Typography.Paragraph
            className="mono"
            copyable
            style={{ background: '#fafafa', padding: 12, wordBreak: 'break-all' }}
            data-testid="detail-plain"
          >
            {row.plainMasked}
          </Typography.Paragraph>
        </div>
      ) : null}
    </Drawer>
  );
}
