/**
 * 异常放行: one car's abnormal release, typed with the keyboard alone. Enter moves to the next
 * field and saves from the last one (Ctrl+Enter saves from anywhere); the form clears for the
 * next car and a large confirmation at the top says 粤B12345 已保存 at once and 已上传 when the
 * platform accepts. The draft lives in a store, so another screen and back keeps it.
 */
import { Alert, Button, Card, Col, Empty, Form, Input, Radio, Row, Space } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RecentSerial } from '../../shared/contract/api.ts';
import { RELEASE_FIELD_LABELS, type ReleaseField } from '../../shared/contract/release-form.ts';
import { outcomeText } from '../../shared/platform/outcome-text.ts';
import { CAR_TYPES, PLATE_COLORS } from '../../shared/records/enums.ts';
import { api } from '../binding.ts';
import { PlateInput } from '../components/PlateInput.tsx';
import { useConsole, useZone } from '../stores/console.ts';
import { useDraftStore } from '../stores/draft.ts';
import { useNav } from '../stores/nav.ts';
import type { SavedRelease } from '../stores/saved.ts';
import { formatLocal, parseTyped, TIME_HINT } from '../time.ts';
import {
  NAV_ORDER,
  offeredFor,
  plateKind,
  plateOf,
  reasonForDigit,
  toInput,
  type FieldErrors,
  type SerialOffer,
} from './release-draft.ts';
import { SaveConfirmation, SavedList, useSaved } from './SavedList.tsx';
import { focusNavField } from '../components/form-nav.ts';

/** How a typed time is read, in the park's own clock (no zone names, no UTC on the guard's screen). */
function ReadAs({ text, zone }: { text: string; zone: string }) {
  if (text.trim() === '') return null;
  const t = parseTyped(text, zone);
  if (t === null) return <span style={{ color: '#595959' }}>{TIME_HINT}</span>;
  return <span style={{ color: '#595959' }}>即 {formatLocal(t, zone).slice(5, 16)}</span>;
}

/** The newest car of this run whose upload has a problem, in plain Chinese with what happens next. */
function ProblemBanner({ saved }: { saved: SavedRelease[] }) {
  const car = saved.find(
    (s) => s.record && (s.record.state === 'attention' || (s.record.state === 'waiting' && s.record.attempts > 0)),
  );
  if (!car?.record) return null;
  const t = outcomeText(car.record.last);
  return (
    <Alert
      type={t.severity}
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="release-problem"
      title={
        <span style={{ fontSize: 18, fontWeight: 700 }}>
          {car.plate}: {t.title}
        </span>
      }
      description={<span style={{ fontSize: 16 }}>{t.next}</span>}
    />
  );
}

export function ReleaseScreen() {
  const session = useConsole((s) => s.session)!;
  const settings = useConsole((s) => s.settings)!;
  const zone = useZone();
  const go = useNav((s) => s.go);
  const { draft, errors, formError, lastNav, update, map, setErrors, setLastNav, clear } = useDraftStore();
  const [busy, setBusy] = useState(false);
  const [offer, setOffer] = useState<SerialOffer<RecentSerial> | null>(null);
  const { saved, add } = useSaved();
  const formRef = useRef<HTMLDivElement>(null);

  // The operate time shows the clock until someone types in it.
  useEffect(() => {
    const tick = () => map((d) => (d.operateFollowsNow ? { ...d, operateText: formatLocal(Date.now(), zone) } : d));
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [zone, map]);

  // Parking serials of recent pushes for this plate, to pick instead of typing. An answer for a plate that is no
  // longer in the box is dropped (and never shown: the offer carries the plate it is for).
  const plate = plateOf(draft);
  const plateOk = plateKind(draft) !== null && !draft.noPlate;
  useEffect(() => {
    if (!plateOk) return;
    let live = true;
    const t = setTimeout(async () => {
      const r = await api.recentSerials({ plate });
      if (live) setOffer({ plate, list: r.ok ? r.value : [] });
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [plate, plateOk]);
  const serials = offeredFor(offer, plate, plateOk);

  const focusNav = useCallback((name: string) => focusNavField(formRef.current, name), []);

  // Back on the screen: the field that had the focus (the plate for a new car).
  useEffect(() => {
    if (session.operator) focusNav(useDraftStore.getState().lastNav ?? 'plate');
  }, [focusNav, session.operator]);

  const submit = async () => {
    if (busy) return;
    const now = Date.now();
    const checked = toInput(draft, zone, now);
    if ('errors' in checked) {
      setErrors(checked.errors, '有字段需要修改, 见红字提示; 记录未保存');
      const first = NAV_ORDER.find((f) => checked.errors[f]);
      if (first) focusNav(first);
      return;
    }
    setBusy(true);
    const r = await api.submitRelease(checked.input);
    setBusy(false);
    if (!r.ok && r.error.code === 'unavailable' && draft.operateFollowsNow) {
      // Unanswered (the backend restarting): it may have been saved. The operate time stops following the clock, so
      // saving again sends the same content, which the main process takes for the same record, not a second one.
      update({ operateFollowsNow: false, operateText: formatLocal(checked.input.operateTime, zone) });
    }
    if (!r.ok) {
      const byField: FieldErrors = {};
      for (const i of r.error.issues ?? [])
        if (i.field in RELEASE_FIELD_LABELS) byField[i.field as ReleaseField] = i.message;
      setErrors(byField, r.error.message);
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
    clear(formatLocal(Date.now(), zone));
    setOffer(null);
    // The confirmation at the top comes into view, then the plate box takes the next car.
    setTimeout(() => {
      window.scrollTo({ top: 0 });
      const el = formRef.current?.querySelector<HTMLElement>('[data-nav="plate"]');
      el?.focus({ preventScroll: true });
    }, 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    // 1–9 pick a reason while the focus is on the reasons (a text field takes digits as text).
    if (!e.ctrlKey && !e.altKey && !e.metaKey && target.closest('[data-nav="reason"]')) {
      const reason = reasonForDigit(e.key, settings.reasons);
      if (reason !== null) {
        e.preventDefault();
        update({ reason }, ['reason']);
        setTimeout(() => focusNav('reason'), 0);
        return;
      }
    }
    if (e.key !== 'Enter') return;
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
    <Row gutter={[24, 16]}>
      <Col xs={24} xl={16}>
        <SaveConfirmation latest={saved[0]} />
        <ProblemBanner saved={saved} />
        <Card
          size="small"
          title={<span style={{ fontSize: 20 }}>异常放行登记</span>}
          extra={
            <span style={{ fontSize: 16 }}>
              值班人: <b data-testid="release-operator">{session.operator}</b>
            </span>
          }
        >
          <div
            ref={formRef}
            onKeyDownCapture={onKeyDown}
            onFocusCapture={(e) => {
              const nav = (e.target as HTMLElement).closest('[data-nav]')?.getAttribute('data-nav') ?? null;
              if (nav !== null && nav !== lastNav) setLastNav(nav);
            }}
            data-testid="release-form"
            className="release-form"
          >
            <Form layout="vertical" component="div">
              <Form.Item {...item('plate')} required>
                <PlateInput
                  province={draft.province}
                  text={draft.plateText}
                  onProvince={(province) => update({ province }, ['plate'])}
                  onText={(plateText) => update({ plateText }, ['plate'])}
                  noPlate={draft.noPlate}
                  onNoPlate={(noPlate) => update({ noPlate }, ['plate'])}
                />
              </Form.Item>

              <div className="release-row">
                <Form.Item {...item('plateColor')}>
                  <div data-nav="plateColor">
                    <Radio.Group
                      name="plateColor"
                      optionType="button"
                      buttonStyle="solid"
                      value={draft.plateColor}
                      onChange={(e) =>
                        update({ plateColor: e.target.value as string, plateColorTouched: true }, ['plateColor'])
                      }
                      options={PLATE_COLORS.map((c) => ({ value: c.value, label: c.label.replace(/色$/, '') }))}
                    />
                  </div>
                </Form.Item>
                <Form.Item {...item('carType')}>
                  <div data-nav="carType">
                    <Radio.Group
                      name="carType"
                      optionType="button"
                      buttonStyle="solid"
                      value={draft.carType}
                      onChange={(e) => update({ carType: e.target.value as string }, ['carType'])}
                      options={CAR_TYPES.map((c) => ({ value: c.value, label: c.label.replace(/车辆/, '') }))}
                    />
                  </div>
                </Form.Item>
              </div>

              <Row gutter={12}>
                <Col xs={24} md={5}>
                  <Form.Item {...item('carDesc')}>
                    <Input
                      data-nav="carDesc"
                      aria-label="车辆描述"
                      value={draft.carDesc}
                      onChange={(e) => update({ carDesc: e.target.value }, ['carDesc'])}
                      placeholder="如 白色轿车"
                      maxLength={64}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={5}>
                  <Form.Item {...item('enterTime')} extra={<ReadAs text={draft.enterText} zone={zone} />}>
                    <Input
                      data-nav="enterTime"
                      aria-label="入场时间"
                      value={draft.enterText}
                      onChange={(e) => update({ enterText: e.target.value }, ['enterTime', 'leaveTime', 'operateTime'])}
                      placeholder="如 08:30 (可不填)"
                      autoComplete="off"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={5}>
                  <Form.Item {...item('leaveTime')} extra={<ReadAs text={draft.leaveText} zone={zone} />}>
                    <Input
                      data-nav="leaveTime"
                      aria-label="离场时间"
                      value={draft.leaveText}
                      onChange={(e) => update({ leaveText: e.target.value }, ['leaveTime'])}
                      placeholder="如 09:45 (可不填)"
                      autoComplete="off"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={9}>
                  <Form.Item {...item('operateTime')} required>
                    <Space.Compact style={{ width: '100%' }}>
                      <Input
                        data-nav="operateTime"
                        data-testid="operate-input"
                        aria-label="操作时间"
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
                        style={{ fontSize: 14, paddingInline: 6 }}
                      />
                      <Button
                        style={{ paddingInline: 8 }}
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
              </Row>

              <Form.Item
                {...item('parkingSerial')}
                required
                extra={<span data-testid="serial-hint">本车在本地道闸系统中的停车记录编号</span>}
              >
                <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
                  <Input
                    data-nav="parkingSerial"
                    data-testid="serial-input"
                    aria-label="停车流水号"
                    value={draft.parkingSerial}
                    onChange={(e) => update({ parkingSerial: e.target.value }, ['parkingSerial'])}
                    placeholder="在道闸系统的停车记录里查看"
                    maxLength={64}
                    autoComplete="off"
                    style={{ width: 300, maxWidth: '100%' }}
                  />
                  {serials.length > 0 ? (
                    <span data-testid="recent-serials" data-plate={plate}>
                      <span style={{ color: '#595959' }}>该车最近: </span>
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
                    </span>
                  ) : null}
                </div>
              </Form.Item>

              <Form.Item {...item('reason')} required extra="焦点在放行原因上时, 按数字键 1–9 直接选择">
                <div data-nav="reason" data-testid="reason-group">
                  <Radio.Group
                    name="reason"
                    optionType="button"
                    value={draft.reason}
                    onChange={(e) => update({ reason: e.target.value as string }, ['reason'])}
                    options={settings.reasons.map((r, i) => ({
                      value: r,
                      label: i < 9 ? `${i + 1} ${r}` : r,
                    }))}
                  />
                </div>
              </Form.Item>

              <div className="release-row release-last">
                <Form.Item {...item('remark')} extra="回车保存 · Ctrl+回车 在任意位置保存" style={{ flex: 1 }}>
                  <Input
                    data-nav="remark"
                    data-testid="remark-input"
                    aria-label="补充说明"
                    value={draft.remark}
                    onChange={(e) => update({ remark: e.target.value }, ['remark', 'reason'])}
                    placeholder="补充说明 (列表中没有的原因写在这里)"
                    maxLength={140}
                  />
                </Form.Item>
                <Button
                  type="primary"
                  size="large"
                  onClick={() => void submit()}
                  loading={busy}
                  data-testid="save-release"
                  style={{ minWidth: 180, height: 48, fontSize: 18, marginTop: 30 }}
                >
                  保存 (回车)
                </Button>
              </div>
              {formError ? (
                <div style={{ color: '#a8071a', fontSize: 17, marginTop: 8 }} data-testid="form-error">
                  {formError}
                </div>
              ) : null}
            </Form>
          </div>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <SavedList saved={saved} zone={zone} />
        <Card size="small" style={{ marginTop: 16 }}>
          车牌可直接输入完整号码 (粤B12345) 或只输入省份后面的部分. 时间按车场当地时间填写, 只填 08:30 即今天.
        </Card>
      </Col>
    </Row>
  );
}
