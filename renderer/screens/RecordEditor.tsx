/** Edit a record that needs attention and send it again (same key), or cancel it with a reason (manager). */
import { App, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { ENDPOINTS } from '../../shared/platform/endpoints.ts';
import { api } from '../binding.ts';

/** The platform's field names with what a booth worker calls them. */
const FIELD_LABELS: Record<string, string> = {
  flow_no: '记录编号',
  parking_serial: '停车流水号',
  plate: '车牌',
  plate_color: '车牌颜色',
  car_type: '车辆类型',
  car_desc: '车辆描述',
  enter_time: '入场时间 (UTC)',
  leave_time: '离场时间 (UTC)',
  operate_time: '操作时间 (UTC)',
  operator: '操作人',
  reason: '放行原因',
};

export function RecordEditor({ record, onClose }: { record: QueuedRecord | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!record) return;
    const v: Record<string, string> = {};
    for (const [k, x] of Object.entries(record.record))
      if (typeof x === 'string' || typeof x === 'number') v[k] = String(x);
    setValues(v);
    setErrors({});
  }, [record]);

  if (!record) return null;
  const keyField = ENDPOINTS[record.endpoint].keyField;
  const editable = record.endpoint !== 'vip-recharge';

  const save = async () => {
    const changes: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(values)) {
      const before = record.record[k];
      if (String(before ?? '') !== v) changes[k] = v.trim() === '' ? null : v;
    }
    setBusy(true);
    const r = await api.resubmitRecord({ id: record.id, ...(Object.keys(changes).length > 0 ? { changes } : {}) });
    setBusy(false);
    if (!r.ok) {
      setErrors(Object.fromEntries((r.error.issues ?? []).map((i) => [i.field, i.message])));
      return void message.error(r.error.message);
    }
    message.success(`记录 #${record.id} 已重新提交`);
    onClose();
  };

  return (
    <Modal
      open
      title={`修改并重新上传 · 记录 #${record.id}`}
      okText="保存并重新上传"
      cancelText="取消"
      onOk={save}
      confirmLoading={busy}
      onCancel={onClose}
      width={680}
      destroyOnHidden
    >
      {record.last.hint || record.last.message ? (
        <div style={{ marginBottom: 12, color: '#cf1322' }}>平台提示: {record.last.hint ?? record.last.message}</div>
      ) : null}
      {editable ? (
        <Form layout="horizontal" labelCol={{ span: 7 }} onFinish={save}>
          {Object.entries(values).map(([k, v]) => (
            <Form.Item
              key={k}
              label={
                <span>
                  {FIELD_LABELS[k] ?? k}{' '}
                  <span className="mono" style={{ color: '#999', fontSize: 12 }}>
                    {k}
                  </span>
                </span>
              }
              validateStatus={errors[k] ? 'error' : ''}
              help={errors[k]}
              style={{ marginBottom: 10 }}
            >
              <Input
                data-testid={`edit-${k}`}
                value={v}
                disabled={k === keyField}
                onChange={(e) => setValues((s) => ({ ...s, [k]: e.target.value }))}
                onPressEnter={save}
              />
            </Form.Item>
          ))}
        </Form>
      ) : (
        <pre style={{ maxHeight: 360, overflow: 'auto', background: '#fafafa', padding: 12 }}>
          {JSON.stringify(record.record, null, 2)}
        </pre>
      )}
    </Modal>
  );
}

export function CancelDialog({ record, onClose }: { record: QueuedRecord | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another record opened: the dialog starts empty
  useEffect(() => {
    setReason('');
    setError(null);
  }, [record]);
  if (!record) return null;
  const ok = async () => {
    const r = await api.cancelRecord({ id: record.id, reason });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    message.success(`记录 #${record.id} 已作废`);
    onClose();
  };
  return (
    <Modal
      open
      title={`作废记录 #${record.id} (${record.plate ?? record.key})`}
      okText="作废"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onOk={ok}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>作废后这条记录不再上传. 请写明原因 (将记入操作记录).</p>
      {record.endpoint === 'vip-recharge' && (
        <p>同一次全量上传中排在它之后的批次也将一并作废 (它们不能缺少前面的批次单独上传).</p>
      )}
      <Form.Item validateStatus={error ? 'error' : ''} help={error}>
        <Input.TextArea
          data-testid="cancel-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          rows={3}
          autoFocus
          maxLength={200}
          placeholder="如: 重复录入"
        />
      </Form.Item>
    </Modal>
  );
}
