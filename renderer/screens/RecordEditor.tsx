/**
 * Edit a record that needs attention and send it again (same key), or cancel it with a reason (manager). Codes show as
 * their labels (蓝色, not 1) and times as the car park's wall clock; a save sends back only what changed, in the
 * record's own format (UTC text for update, epoch milliseconds for leave).
 */
import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import type { Endpoint } from '../../shared/platform/endpoints.ts';
import { ENDPOINTS } from '../../shared/platform/endpoints.ts';
import {
  CAR_COLORS,
  CAR_TYPES,
  type EnumOption,
  PLATE_COLORS,
  PLATE_TYPES,
  VEHICLE_TYPES,
} from '../../shared/records/enums.ts';
import { api } from '../binding.ts';
import { useZone } from '../stores/console.ts';
import '../log.css';
import { localToRecordTime, type RecordTimeFormat, recordTimeToLocal, TIME_HINT } from '../time.ts';

/** The platform's field names with what a booth worker calls them. */
const FIELD_LABELS: Record<string, string> = {
  flow_no: '记录编号',
  parking_serial: '停车流水号',
  plate: '车牌',
  plate_color: '车牌颜色',
  plate_type: '车牌类型',
  car_type: '车辆类型',
  car_desc: '车辆描述',
  car_color: '车身颜色',
  vehicle_type: '车型',
  enter_time: '入场时间',
  leave_time: '离场时间',
  operate_time: '操作时间',
  operator: '操作人',
  reason: '放行原因',
  charge_type: '收费类型',
  enter_gate: '入场通道',
  leave_gate: '出场通道',
  enter_security: '入场岗亭人员',
  leave_security: '出场岗亭人员',
  card_no: '卡号',
  card_id: '卡编号',
  total_value: '应收金额 (分)',
  free_value: '优惠金额 (分)',
  online_value: '线上支付 (分)',
  balance_value: '余额支付 (分)',
  cash_value: '现金 (分)',
  prepaid_value: '预付金额 (分)',
  enter_release_reason: '入场放行原因',
  leave_release_reason: '出场放行原因',
  total_parking_space: '总车位',
  remain_parking_space: '剩余车位',
};

/** Fields whose value is one of the vendor's codes: picked by label. */
const ENUM_FIELDS: Record<string, readonly EnumOption[]> = {
  plate_color: PLATE_COLORS,
  plate_type: PLATE_TYPES,
  car_type: CAR_TYPES,
  car_color: CAR_COLORS,
  vehicle_type: VEHICLE_TYPES,
};

/** Time fields per endpoint, and how each endpoint keeps them. */
const TIME_FIELDS: Partial<Record<Endpoint, { format: RecordTimeFormat; fields: readonly string[] }>> = {
  update: { format: 'utc', fields: ['enter_time', 'leave_time', 'operate_time'] },
  leave: { format: 'epoch', fields: ['enter_time', 'leave_time'] },
};

type Kind = { type: 'text' } | { type: 'enum'; options: { value: string; label: string }[] } | { type: 'time' };

function kindOf(endpoint: Endpoint, field: string, value: string): Kind {
  const list = ENUM_FIELDS[field];
  if (list) {
    const options = list.map((o) => ({ value: o.value, label: o.label }));
    // A code the list does not know (what the platform may have refused) is still shown, as itself.
    if (value !== '' && !options.some((o) => o.value === value)) options.push({ value, label: `${value} (未知代码)` });
    return { type: 'enum', options };
  }
  if (TIME_FIELDS[endpoint]?.fields.includes(field)) return { type: 'time' };
  return { type: 'text' };
}

/** The form's text for each plain field: times as the car park's wall clock, the rest as stored. */
function initialValues(record: QueuedRecord, zone: string): Record<string, string> {
  const v: Record<string, string> = {};
  const times = TIME_FIELDS[record.endpoint]?.fields ?? [];
  for (const [k, x] of Object.entries(record.record)) {
    if (typeof x !== 'string' && typeof x !== 'number') continue;
    v[k] = (times.includes(k) ? recordTimeToLocal(x, zone) : null) ?? String(x);
  }
  return v;
}

export function RecordEditor({ record, onClose }: { record: QueuedRecord | null; onClose: () => void }) {
  const { message } = App.useApp();
  const zone = useZone();
  const [values, setValues] = useState<Record<string, string>>({});
  const [initial, setInitial] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!record) return;
    const v = initialValues(record, zone);
    setValues(v);
    setInitial(v);
    setErrors({});
  }, [record, zone]);

  if (!record) return null;
  const keyField = ENDPOINTS[record.endpoint].keyField;
  const editable = record.endpoint !== 'vip-recharge';
  const timeFormat = TIME_FIELDS[record.endpoint]?.format;

  const save = async () => {
    const changes: Record<string, string | number | null> = {};
    const local: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v === initial[k]) continue;
      if (v.trim() === '') {
        changes[k] = null;
        continue;
      }
      if (timeFormat && kindOf(record.endpoint, k, v).type === 'time') {
        const t = localToRecordTime(v, timeFormat, record.record[k], zone);
        if (t === null) local[k] = `看不懂这个时间, ${TIME_HINT}`;
        else changes[k] = t;
        continue;
      }
      changes[k] = v;
    }
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return void message.error('有时间写得不对, 请看标红的字段');
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

  const set = (k: string, v: string) => setValues((s) => ({ ...s, [k]: v }));

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
      className="record-editor"
      destroyOnHidden
    >
      {record.last.hint || record.last.message ? (
        <div style={{ marginBottom: 12, color: '#a8071a' }}>平台提示: {record.last.hint ?? record.last.message}</div>
      ) : null}
      {editable ? (
        <Form layout="horizontal" labelCol={{ span: 7 }} onFinish={save}>
          {Object.entries(values).map(([k, v]) => {
            const kind = kindOf(record.endpoint, k, initial[k] ?? v);
            const label = FIELD_LABELS[k];
            const id = `record-edit-${k}`;
            return (
              <Form.Item
                key={k}
                label={label ?? <span className="mono">{k}</span>}
                htmlFor={id}
                validateStatus={errors[k] ? 'error' : ''}
                help={errors[k]}
                style={{ marginBottom: 10 }}
              >
                {kind.type === 'enum' ? (
                  <Select
                    id={id}
                    data-testid={`edit-${k}`}
                    value={v === '' ? undefined : v}
                    options={kind.options}
                    allowClear
                    placeholder="(不填)"
                    onChange={(x: string | undefined) => set(k, x ?? '')}
                  />
                ) : (
                  <Input
                    id={id}
                    data-testid={`edit-${k}`}
                    value={v}
                    disabled={k === keyField}
                    placeholder={kind.type === 'time' ? TIME_HINT : undefined}
                    onChange={(e) => set(k, e.target.value)}
                    onPressEnter={save}
                  />
                )}
              </Form.Item>
            );
          })}
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
