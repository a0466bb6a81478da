/**
 * 离场补推: a vehicle exit that never reached the platform (network down, or refused), typed again or opened from the
 * push log or the upload queue, with its payments and photos. Enter moves field to field and saves from the last
 * (Ctrl+Enter from anywhere); the form clears for the next car and the top says 已保存, then 已上传. Fee totals that
 * differ from the payments are shown before sending, and sending them asks for a confirmation that says what
 * differs. Warnings (serial accepted before, another entry time) are asked for while typing.
 */
import { App, Button, type ButtonProps, Card, Empty, Form } from 'antd';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ExitForm, ExitWarnings } from '../../../shared/contract/exit.ts';
import type { PushLogRow } from '../../../shared/contract/queue.ts';
import { RECORD_STATE_LABELS } from '../../../shared/contract/queue.ts';
import { api } from '../../binding.ts';
import { focusNavField } from '../../components/form-nav.ts';
import { LogDetail } from '../../screens/LogDetail.tsx';
import { useConsole, useZone } from '../../stores/console.ts';
import { useNav } from '../../stores/nav.ts';
import { type ExitErrors, feeView, issueLabel, timeOf, toExitForm, validExitPlate } from './draft.ts';
import { ExitSaved } from './ExitSaved.tsx';
import { FeesGroup, MoreGroups, PassagesGroup, VehicleGroup } from './Groups.tsx';
import { PaymentsEditor } from './PaymentsEditor.tsx';
import { followRecord, useExit } from './store.ts';
import { type AcceptedNote, Warnings } from './Warnings.tsx';
import './exit.css';

const FEE_FIELDS = new Set(['total_value', 'free_value', 'online_value', 'balance_value', 'cash_value']);

/** The fields with data-nav, in the order they stand (folded groups and disabled boxes left out). */
function navNames(form: HTMLElement): string[] {
  const names: string[] = [];
  for (const el of form.querySelectorAll<HTMLElement>('[data-nav]')) {
    const name = el.getAttribute('data-nav');
    if (!name || names.includes(name)) continue;
    // A box of its own that is read-only (the serial of a re-push) is passed over; a list's inner box is read-only.
    const own = el.matches('input, textarea');
    const input = (own ? el : el.querySelector('input, textarea')) as HTMLInputElement | null;
    if (!input || input.disabled || (own && input.readOnly)) continue;
    names.push(name);
  }
  return names;
}

/** The recent serials of a plate, offered while that plate is in the box. */
function useRecentSerials(plate: string | null, off: boolean): string[] {
  const [offer, setOffer] = useState<{ plate: string; list: string[] } | null>(null);
  useEffect(() => {
    if (plate === null || off) return;
    let live = true;
    const t = setTimeout(async () => {
      const r = await api.recentSerials({ plate });
      const list = r.ok ? [...new Set(r.value.map((s) => s.parkingSerial))].slice(0, 6) : [];
      if (live) setOffer({ plate, list });
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [plate, off]);
  return plate !== null && offer?.plate === plate ? offer.list : [];
}

/** exitWarnings for the serial and entry time once they stop changing; null while not asked (or not answered). */
function useWarnings(serial: string, enterTime: number | null, resubmitOf: number | null): ExitWarnings | null {
  const [got, setGot] = useState<{ ask: string; value: ExitWarnings } | null>(null);
  const ask = JSON.stringify([serial, enterTime, resubmitOf]);
  useEffect(() => {
    if (serial === '') return;
    let live = true;
    const t = setTimeout(async () => {
      const input: { parking_serial: string; enter_time?: number; resubmitOf?: number } = { parking_serial: serial };
      if (enterTime !== null) input.enter_time = enterTime;
      if (resubmitOf !== null) input.resubmitOf = resubmitOf;
      const r = await api.exitWarnings(input);
      if (live && r.ok) setGot({ ask, value: r.value });
    }, 400);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [ask, serial, enterTime, resubmitOf]);
  return got?.ask === ask ? got.value : null;
}

export function ExitScreen() {
  const session = useConsole((s) => s.session)!;
  const reasons = useConsole((s) => s.settings?.reasons ?? []);
  const zone = useZone();
  const go = useNav((s) => s.go);
  const { modal, message } = App.useApp();
  const draft = useExit((s) => s.draft);
  const formError = useExit((s) => s.formError);
  const repush = useExit((s) => s.repush);
  const unlocked = useExit((s) => s.unlocked);
  const saved = useExit((s) => s.saved);
  const { setErrors, reset, unlock } = useExit.getState();
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<PushLogRow | null>(null);
  const [opening, setOpening] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const operator = session.operator;
  const disabled = !unlocked;

  const serials = useRecentSerials(validExitPlate(draft), repush !== null);
  const serial = draft.parkingSerial.trim();
  const warnings = useWarnings(serial, timeOf(draft.enterText, zone), repush?.id ?? null);
  const accepted: AcceptedNote | null =
    repush?.state === 'accepted'
      ? { recordId: repush.id, at: repush.acceptedAt, seqno: repush.seqno }
      : (warnings?.acceptedBefore ?? null);

  const focusSoon = useCallback((name: string) => {
    setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      if (form.querySelector(`[data-nav="${CSS.escape(name)}"]`)) focusNavField(form, CSS.escape(name));
      else form.querySelector<HTMLElement>(`[data-testid="${CSS.escape(name)}"]`)?.focus();
    }, 0);
  }, []);

  const focusFirstBad = (errors: ExitErrors) => {
    const form = formRef.current;
    if (!form) return;
    const first = navNames(form).find((n) => errors[n] !== undefined);
    if (first) focusSoon(first);
    else if (errors.payments !== undefined) focusSoon('exit-pay-add');
  };

  // A new car: the plate; a re-push: the first field the platform named, else the plate.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the record being re-pushed changes
  useEffect(() => {
    const hl = useExit.getState().repush?.highlight;
    focusSoon(hl ? hl.field : 'plate');
  }, [repush?.id, focusSoon]);

  const send = async (form: ExitForm, confirmFees: boolean) => {
    setBusy(true);
    const r = await api.submitExit(confirmFees ? { ...form, confirmFees: true } : form);
    setBusy(false);
    if (!r.ok) {
      const issues = r.error.issues ?? [];
      if (
        r.error.code === 'conflict' &&
        !confirmFees &&
        issues.length > 0 &&
        issues.every((i) => FEE_FIELDS.has(i.field))
      )
        return askFees(
          form,
          issues.map((i) => i.message),
        );
      const errors: ExitErrors = {};
      const other: string[] = [];
      for (const i of issues) {
        if (i.field === '' || i.field === 'resubmitOf' || i.field === 'confirmFees') other.push(i.message);
        else errors[i.field] ??= i.message;
      }
      setErrors(
        errors,
        other.length > 0
          ? `离场未保存: ${other.join('; ')}`
          : Object.keys(errors).length > 0
            ? `离场未保存: ${issues.map((i) => `${issueLabel(i.field)} ${i.message}`).join('; ')}`
            : `离场未保存: ${r.error.message}`,
      );
      focusFirstBad(errors);
      return;
    }
    const plate = form.plate ?? '';
    useExit.getState().saved1({ ...r.value, plate, savedAt: Date.now(), resubmitOf: form.resubmitOf ?? null });
    followRecord(r.value.id);
    setTimeout(() => {
      window.scrollTo({ top: 0 });
      formRef.current?.querySelector<HTMLElement>('[data-nav="plate"]')?.focus({ preventScroll: true });
    }, 0);
  };

  const askFees = (form: ExitForm, differences: string[]) => {
    modal.confirm({
      title: '费用总额与付款明细不一致, 仍要保存并上传吗?',
      content: (
        <div data-testid="exit-fee-confirm">
          <ul className="exit-confirm-list">
            {differences.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          <div>道闸系统的计费可能与付款明细不同. 确认无误再上传; 否则请返回修改.</div>
        </div>
      ),
      okText: '仍然保存并上传',
      cancelText: '返回修改',
      autoFocusButton: 'cancel',
      okButtonProps: { 'data-testid': 'exit-fee-confirm-ok' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'exit-fee-confirm-cancel' } as ButtonProps,
      width: 560,
      onOk: () => send(form, true),
    });
  };

  const submit = async () => {
    if (busy || disabled) return;
    const checked = toExitForm(draft, zone, Date.now(), repush?.id ?? null);
    if ('errors' in checked) {
      setErrors(checked.errors, checked.formError);
      focusFirstBad(checked.errors);
      return;
    }
    const mismatches = feeView(draft).mismatches;
    if (mismatches.length > 0)
      return askFees(
        checked.form,
        mismatches.map((m) => m.message),
      );
    await send(checked.form, false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    if (e.ctrlKey) {
      e.preventDefault();
      void submit();
      return;
    }
    if (target.tagName === 'BUTTON' || target.tagName === 'A') return;
    // An open list takes Enter for its option; a closed one passes it on (arrow keys open it).
    if (target.closest('.ant-select') && target.getAttribute('aria-expanded') === 'true') return;
    const nav = target.closest('[data-nav]')?.getAttribute('data-nav');
    if (!nav || !formRef.current) return;
    e.preventDefault();
    e.stopPropagation();
    const names = navNames(formRef.current);
    const i = names.indexOf(nav);
    const next = names[i + 1];
    if (i === -1 || next === undefined) void submit();
    else focusSoon(next);
  };

  const openPush = async (recordId: number) => {
    setOpening(true);
    const r = await api.queryLog({ key: serial, limit: 200 });
    setOpening(false);
    const rows = r.ok ? r.value.rows.filter((x) => x.recordId === recordId) : [];
    const row = rows.find((x) => x.outcome === 'accepted') ?? rows[0];
    if (row) setDetail(row);
    else message.info('推送日志中没有找到那次推送 (可能已按保留天数清理)');
  };

  if (!operator) {
    return (
      <Card>
        <Empty description={<span style={{ fontSize: 20 }}>请先交班: 填写值班人姓名后才能补推离场</span>}>
          <Button type="primary" size="large" onClick={() => go('shift')}>
            去交班
          </Button>
        </Empty>
      </Card>
    );
  }

  return (
    <div data-testid="exit-screen" className="exit-screen">
      <ExitSaved latest={saved[0]} />
      {repush ? (
        <div className="exit-repush" data-testid="exit-repush" data-record={repush.id}>
          <span>
            修改后重推 <b>记录 #{repush.id}</b> · 停车流水号 <b className="mono">{repush.key}</b> ·{' '}
            {RECORD_STATE_LABELS[repush.state]}
          </span>
          {disabled ? (
            <Button onClick={unlock} data-testid="exit-unlock">
              仍要修改后重推
            </Button>
          ) : null}
          <Button onClick={reset} data-testid="exit-repush-cancel">
            放弃, 补推另一辆
          </Button>
        </div>
      ) : null}
      <Card
        size="small"
        className="exit-card"
        title={<span style={{ fontSize: 20 }}>离场补推</span>}
        extra={
          <span style={{ fontSize: 16 }}>
            值班人: <b data-testid="exit-operator">{operator}</b>
          </span>
        }
      >
        <form
          ref={formRef}
          onKeyDownCapture={onKeyDown}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
          data-testid="exit-form"
          className="exit-form"
          aria-label="离场补推"
        >
          <Form layout="vertical" component="div">
            <VehicleGroup disabled={disabled} fixed={repush !== null} serials={serials} />
            <Warnings
              serial={serial}
              accepted={accepted}
              enterTimeDiffers={warnings?.enterTimeDiffers ?? null}
              zone={zone}
              onOpen={(id) => void openPush(id)}
              opening={opening}
            />
            <PassagesGroup zone={zone} disabled={disabled} reasons={reasons} />
            <FeesGroup
              disabled={disabled}
              payments={
                <PaymentsEditor
                  operator={operator}
                  disabled={disabled}
                  leaveText={draft.leaveText}
                  focusSoon={focusSoon}
                  highlight={repush?.highlight?.field === 'payments' ? repush.highlight.words : undefined}
                />
              }
            />
            <MoreGroups disabled={disabled} />
            <div className="exit-save-row">
              <span className="exit-muted">回车到下一项, 最后一项回车保存 · Ctrl+回车 在任意位置保存</span>
              <Button
                type="primary"
                size="large"
                onClick={() => void submit()}
                loading={busy}
                disabled={disabled}
                data-testid="exit-save"
                className="exit-save"
              >
                {repush ? '保存并重推 (回车)' : '保存并上传 (回车)'}
              </Button>
            </div>
            {formError ? (
              <div className="exit-form-error" data-testid="exit-form-error" role="alert">
                {formError}
              </div>
            ) : null}
          </Form>
        </form>
      </Card>
      <LogDetail row={detail} zone={zone} onClose={() => setDetail(null)} repushable={false} />
    </div>
  );
}
