/**
 * 异常放行: one car's abnormal release, typed with the keyboard alone. Enter moves to the next
 * field and saves from the last one (Ctrl+Enter saves from anywhere); the form clears for the
 * next car, says 已保存 at once and 已上传 when the platform accepts.
 */
import { Button, Card, Checkbox, Col, Empty, Form, Input, Radio, Row, Select, Space, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RecentSerial } from '../../shared/contract/api.ts';
import { RELEASE_FIELD_LABELS, type ReleaseField } from '../../shared/contract/release-form.ts';
import { CAR_TYPES, PLATE_COLORS } from '../../shared/records/enums.ts';
import { PROVINCES } from '../../shared/records/plate.ts';
import { api } from '../binding.ts';
import { useConsole, useZone } from '../stores/console.ts';
import { useNav } from '../stores/nav.ts';
import { formatLocal, formatUtc, parseTyped, TIME_HINT } from '../time.ts';
import {
  defaultColor,
  emptyDraft,
  NAV_ORDER,
  plateKind,
  plateOf,
  toInput,
  type Draft,
  type FieldErrors,
} from './release-draft.ts';
import { SavedList, useSaved } from './SavedList.tsx';

const PROVINCE_KEY = 'booth.province';

function UtcBeside({ text, zone, optional }: { text: string; zone: string; optional?: boolean }) {
  const t = parseTyped(text, zone);
  if (t === null) return text.trim() === '' && optional ? null : <span style={{ color: '#999' }}>{TIME_HINT}</span>;
  return (
    <span className="mono" style={{ color: '#555' }}>
      UTC {formatUtc(t)}
    </span>
  );
}

export function ReleaseScreen() {
  const session = useConsole((s) => s.session)!;
  const settings = useConsole((s) => s.settings)!;
  const zone = useZone();
  const go = useNav((s) => s.go);
  const [draft, setDraft] = useState<Draft>(() =>
    emptyDraft({ province: localStorage.getItem(PROVINCE_KEY) ?? '粤', carType: '1' }),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serials, setSerials] = useState<RecentSerial[]>([]);
  const { saved, add } = useSaved();
  const formRef = useRef<HTMLDivElement>(null);

  const update = (change: Partial<Draft>, clear: ReleaseField[] = []) => {
    setDraft((d) => {
      const next = { ...d, ...change };
      if (!next.plateColorTouched) next.plateColor = defaultColor(plateKind(next)) ?? next.plateColor;
      return next;
    });
    if (clear.length > 0)
      setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !clear.includes(k as ReleaseField))));
  };

  // The operate time shows the clock until someone types in it.
  useEffect(() => {
    const tick = () =>
      setDraft((d) => (d.operateFollowsNow ? { ...d, operateText: formatLocal(Date.now(), zone) } : d));
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [zone]);

  // Parking serials of recent pushes for this plate, to pick instead of typing.
  const plate = plateOf(draft);
  const plateOk = plateKind(draft) !== null && !draft.noPlate;
  useEffect(() => {
    if (!plateOk) return setSerials([]);
    const t = setTimeout(async () => {
      const r = await api.recentSerials({ plate });
      setSerials(r.ok ? r.value : []);
    }, 250);
    return () => clearTimeout(t);
  }, [plate, plateOk]);

  const focusNav = useCallback((name: string) => {
    const el = formRef.current?.querySelector<HTMLElement>(`[data-nav="${name}"]`);
    if (!el) return;
    const target = el.matches('input, textarea')
      ? el
      : (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input, textarea, button'));
    target?.focus();
    if (target instanceof HTMLInputElement && target.type === 'text') target.select();
  }, []);

  useEffect(() => {
    if (session.operator) focusNav('plate');
  }, [focusNav, session.operator]);

  const submit = async () => {
    if (busy) return;
    const now = Date.now();
    const checked = toInput(draft, zone, now);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setFormError('有字段需要修改, 见红字提示; 记录未保存');
      const first = NAV_ORDER.find((f) => checked.errors[f]);
      if (first) focusNav(first);
      return;
    }
    setBusy(true);
    const r = await api.submitRelease(checked.input);
    setBusy(false);
    if (!r.ok) {
      const byField: FieldErrors = {};
      for (const i of r.error.issues ?? [])
        if (i.field in RELEASE_FIELD_LABELS) byField[i.field as ReleaseField] = i.message;
      setErrors(byField);
      setFormError(r.error.message);
      const first = NAV_ORDER.find((f) => byField[f]);
      if (first) focusNav(first);
      return;
    }
    add({
      id: r.value.id,
      flowNo: r.value.flowNo,
      plate: String(r.value.record?.plate ?? checked.input.plate),
      savedAt: now,
      record: r.value.record,
    });
    localStorage.setItem(PROVINCE_KEY, draft.province);
    setDraft({
      ...emptyDraft({ province: draft.province, carType: draft.carType }),
      operateText: formatLocal(Date.now(), zone),
    });
    setErrors({});
    setFormError(null);
    setSerials([]);
    setTimeout(() => focusNav('plate'), 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    if (e.ctrlKey) {
      e.preventDefault();
      void submit();
      return;
    }
    if (target.closest('.ant-select') || target.tagName === 'BUTTON') return;
    const nav = target.closest('[data-nav]')?.getAttribute('data-nav');
    if (!nav) return;
    e.preventDefault();
    const i = NAV_ORDER.indexOf(nav as (typeof NAV_ORDER)[number]);
    const next = NAV_ORDER[i + 1];
    if (i === NAV_ORDER.length - 1 || next === undefined) void submit();
    else focusNav(next);
  };

  if (!session.operator) {
    return (
      <Card>
        <Empty description={<span style={{ fontSize: 20 }}>请先交班: 填写值班人姓名后才能登记异常放行</span>}>
          <Button type="primary" size="large" onClick={() => go('shift')}>
            去交班
          </Button>
        </Empty>
      </Card>
    );
  }

  const item = (field: ReleaseField) => ({
    label: <span style={{ fontSize: 16 }}>{RELEASE_FIELD_LABELS[field]}</span>,
    validateStatus: errors[field] ? ('error' as const) : ('' as const),
    help: errors[field] ? <span data-testid={`error-${field}`}>{errors[field]}</span> : undefined,
  });

  return (
    <Row gutter={24}>
      <Col xs={24} xl={15}>
        <Card
          title={<span style={{ fontSize: 20 }}>异常放行登记</span>}
          extra={
            <span style={{ fontSize: 16 }}>
              值班人: <b data-testid="release-operator">{session.operator}</b>
            </span>
          }
        >
          <div ref={formRef} onKeyDownCapture={onKeyDown} data-testid="release-form" className="release-form">
            <Form layout="vertical" component="div">
              <Form.Item {...item('plate')} required>
                <Space.Compact style={{ width: '100%' }}>
                  <Select
                    value={draft.province}
                    onChange={(province) => update({ province }, ['plate'])}
                    disabled={draft.noPlate}
                    style={{ width: 110 }}
                    aria-label="省份简称"
                    showSearch={{
                      filterOption: (input, o) => {
                        const p = PROVINCES.find((x) => x.char === o?.value);
                        const q = input.toLowerCase();
                        return !!p && (p.char.includes(input) || p.pinyin.startsWith(q) || p.name.includes(input));
                      },
                    }}
                    options={PROVINCES.map((p) => ({ value: p.char, label: `${p.char} ${p.name}` }))}
                    optionLabelProp="value"
                    popupMatchSelectWidth={160}
                  />
                  <Input
                    data-nav="plate"
                    data-testid="plate-input"
                    value={draft.noPlate ? '无牌车' : draft.plateText}
                    disabled={draft.noPlate}
                    onChange={(e) => update({ plateText: e.target.value.toUpperCase() }, ['plate'])}
                    placeholder="B12345 (新能源 BD12345)"
                    maxLength={10}
                    style={{ fontSize: 22, letterSpacing: 2 }}
                    autoComplete="off"
                  />
                </Space.Compact>
                <Checkbox
                  style={{ marginTop: 8 }}
                  checked={draft.noPlate}
                  onChange={(e) => update({ noPlate: e.target.checked }, ['plate'])}
                  data-testid="no-plate"
                >
                  无牌车
                </Checkbox>
              </Form.Item>

              <Row gutter={16}>
                <Col span={24}>
                  <Form.Item {...item('plateColor')}>
                    <div data-nav="plateColor">
                      <Radio.Group
                        optionType="button"
                        buttonStyle="solid"
                        value={draft.plateColor}
                        onChange={(e) =>
                          update({ plateColor: e.target.value as string, plateColorTouched: true }, ['plateColor'])
                        }
                        options={PLATE_COLORS.map((c) => ({ value: c.value, label: c.label }))}
                      />
                    </div>
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item {...item('carType')}>
                    <div data-nav="carType">
                      <Radio.Group
                        optionType="button"
                        buttonStyle="solid"
                        value={draft.carType}
                        onChange={(e) => update({ carType: e.target.value as string }, ['carType'])}
                        options={CAR_TYPES.map((c) => ({ value: c.value, label: c.label }))}
                      />
                    </div>
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item {...item('carDesc')}>
                    <Input
                      data-nav="carDesc"
                      value={draft.carDesc}
                      onChange={(e) => update({ carDesc: e.target.value }, ['carDesc'])}
                      placeholder="如 白色轿车 (可不填)"
                      maxLength={64}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item {...item('parkingSerial')} required>
                    <Input
                      data-nav="parkingSerial"
                      data-testid="serial-input"
                      value={draft.parkingSerial}
                      onChange={(e) => update({ parkingSerial: e.target.value }, ['parkingSerial'])}
                      placeholder="停车记录的流水号"
                      maxLength={64}
                      autoComplete="off"
                    />
                  </Form.Item>
                  {serials.length > 0 ? (
                    <div style={{ marginTop: -12, marginBottom: 12 }} data-testid="recent-serials">
                      <span style={{ color: '#555' }}>该车最近的流水号: </span>
                      {serials.map((s) => (
                        <Button
                          key={s.parkingSerial}
                          size="small"
                          style={{ marginRight: 6 }}
                          onClick={() => update({ parkingSerial: s.parkingSerial }, ['parkingSerial'])}
                        >
                          {s.parkingSerial}
                        </Button>
                      ))}
                    </div>
                  ) : null}
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item {...item('enterTime')} extra={<UtcBeside text={draft.enterText} zone={zone} optional />}>
                    <Input
                      data-nav="enterTime"
                      value={draft.enterText}
                      onChange={(e) => update({ enterText: e.target.value }, ['enterTime', 'leaveTime', 'operateTime'])}
                      placeholder="如 08:30"
                      autoComplete="off"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item {...item('leaveTime')} extra={<UtcBeside text={draft.leaveText} zone={zone} optional />}>
                    <Input
                      data-nav="leaveTime"
                      value={draft.leaveText}
                      onChange={(e) => update({ leaveText: e.target.value }, ['leaveTime'])}
                      placeholder="如 09:45"
                      autoComplete="off"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    {...item('operateTime')}
                    required
                    extra={<UtcBeside text={draft.operateText} zone={zone} />}
                  >
                    <Space.Compact style={{ width: '100%' }}>
                      <Input
                        data-nav="operateTime"
                        data-testid="operate-input"
                        value={draft.operateText}
                        onChange={(e) =>
                          update({ operateText: e.target.value, operateFollowsNow: false }, ['operateTime'])
                        }
                        onFocus={(e) => {
                          // Stop following the clock while it is edited (the text itself stays, so the selection
                          // holds).
                          e.currentTarget.select();
                          if (draft.operateFollowsNow) update({ operateFollowsNow: false });
                        }}
                        autoComplete="off"
                        className="mono"
                      />
                      <Button
                        onClick={() =>
                          update({ operateFollowsNow: true, operateText: formatLocal(Date.now(), zone) }, [
                            'operateTime',
                          ])
                        }
                      >
                        现在
                      </Button>
                    </Space.Compact>
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item {...item('reason')} required>
                    <div data-nav="reason">
                      <Radio.Group
                        optionType="button"
                        value={draft.reason}
                        onChange={(e) => update({ reason: e.target.value as string }, ['reason'])}
                        options={settings.reasons.map((r) => ({ value: r, label: r }))}
                      />
                    </div>
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item {...item('remark')} extra="回车保存 · Ctrl+回车 在任意位置保存">
                    <Input
                      data-nav="remark"
                      data-testid="remark-input"
                      value={draft.remark}
                      onChange={(e) => update({ remark: e.target.value }, ['remark', 'reason'])}
                      placeholder="补充说明 (列表中没有的原因写在这里)"
                      maxLength={140}
                    />
                  </Form.Item>
                </Col>
              </Row>
              {formError ? (
                <div style={{ color: '#cf1322', fontSize: 17, marginBottom: 12 }} data-testid="form-error">
                  {formError}
                </div>
              ) : null}
              <Button
                type="primary"
                size="large"
                onClick={() => void submit()}
                loading={busy}
                data-testid="save-release"
                style={{ minWidth: 200, height: 48, fontSize: 18 }}
              >
                保存 (回车)
              </Button>
            </Form>
          </div>
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <SavedList saved={saved} zone={zone} />
        <Card size="small" style={{ marginTop: 16 }}>
          <Tag>提示</Tag> 车牌可直接输入完整号码 (粤B12345) 或只输入省份后面的部分. 时间按车场时区 {zone} 填写,
          旁边显示上传时使用的 UTC 时间.
        </Card>
      </Col>
    </Row>
  );
}
