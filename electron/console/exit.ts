/**
 * The contract's 离场补推 methods: save an exit that never reached the platform (a new leave record, or a re-push of
 * one from the log or the queue, under the same key), the warnings the form shows before sending, a picked photo's
 * thumbnail, and the size of the photos folder. Picked photos are copied into the data folder before the record is
 * committed (images/store.ts), so the record never depends on the original staying where it was.
 */
import type { z } from 'zod';
import type {
  ExitForm,
  ExitWarnings,
  exitWarningsSchema,
  ImagePreview,
  ImagesFolder,
  SubmitExitResult,
} from '../../shared/contract/exit.ts';
import type { FileSource } from '../../shared/contract/host.ts';
import type { QueuedRecord } from '../../shared/contract/queue.ts';
import { feeMismatches } from '../../shared/records/exit-fees.ts';
import { type FieldIssue, RecordError, toFieldIssues } from '../../shared/records/fields.ts';
import { IMAGE_SLOTS, type ImageSlot, leaveRecordSchema } from '../../shared/records/leave.ts';
import { parseUtc } from '../../shared/records/time.ts';
import { imagesFolderInfo } from '../images/retention.ts';
import { type ImageSource, ImageFileError, copyImage } from '../images/store.ts';
import { previewOf } from '../images/preview.ts';
import type { Queue } from '../queue/types.ts';
import { canOpen } from '../services/file-registry.ts';
import { ConsoleError } from './errors.ts';
import type { ExitLookup } from './exit-lookup.ts';
import { exitToRecord, formField, type SlotValue } from './exit-record.ts';

export interface ExitDeps {
  queue: Queue;
  exits: ExitLookup;
  dataDir: string;
  files: FileSource | null;
  /** The guard on shift (submitExit is a shift method). */
  operator: () => string;
  now?: () => number;
}

export const SLOT_LABELS: Record<ImageSlot, string> = {
  enter_image: '入场图片',
  enter_plate_image: '入场车牌图片',
  leave_image: '离场图片',
  leave_plate_image: '离场车牌图片',
};

const SERIAL_FIXED = '同一离场的流水号不能改';

/** Without a thumbnail above this size (the form shows name and size only). */
export const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;

type WarningsInput = z.output<typeof exitWarningsSchema>;
type SlotResult = SubmitExitResult['images'][ImageSlot];

/** The record's problems as the form's fields; a single `state`/`id` problem stays as the queue said it (conflict). */
function formIssues(e: RecordError): ConsoleError | RecordError {
  if (e.issues.length === 1 && (e.issues[0]!.field === 'state' || e.issues[0]!.field === 'id')) return e;
  return new ConsoleError(
    'invalid',
    '记录有误, 请按提示修改',
    e.issues.map((i) => ({ field: formField(i.field), message: i.message })),
  );
}

/** The entry instant a record gives (leave: epoch-ms text; update: UTC text), and whether it has milliseconds. */
function entryOf(r: QueuedRecord): { at: number; ms: boolean } | null {
  const v = r.record.enter_time;
  if (typeof v !== 'string') return null;
  if (r.endpoint === 'leave') return /^\d+$/.test(v) ? { at: Number(v), ms: true } : null;
  const at = parseUtc(v);
  return at === null ? null : { at, ms: /\.\d+Z$/i.test(v) };
}

export function createExitHandlers(d: ExitDeps) {
  const now = d.now ?? Date.now;

  function sourceOf(handle: string): ImageSource | Promise<ImageSource> {
    if (!d.files) throw new ConsoleError('unavailable', '此窗口不能选择文件');
    if (canOpen(d.files)) return d.files.open(handle);
    return d.files.read(handle);
  }

  /** The record a re-push is of, checked before anything is copied. */
  function repushed(id: number, serial: string): QueuedRecord {
    const r = d.queue.get(id);
    if (!r) throw new ConsoleError('not-found', `记录 #${id} 不存在`);
    if (r.endpoint !== 'leave') throw new ConsoleError('invalid', `记录 #${id} 不是离场记录, 不能作为离场补推`);
    if (r.key !== serial.trim()) {
      throw new ConsoleError('invalid', `${SERIAL_FIXED}: 记录 #${id} 的流水号是 ${r.key}`, [
        { field: 'parking_serial', message: `${SERIAL_FIXED} (原为 ${r.key})` },
      ]);
    }
    if (r.state === 'accepted') {
      throw new ConsoleError(
        'conflict',
        `平台已受理过流水号 ${r.key} 的离场 (记录 #${id}): 平台会忽略同一流水号的重复推送, 未重新推送`,
      );
    }
    if (r.state === 'cancelled') {
      throw new ConsoleError(
        'conflict',
        `流水号 ${r.key} 的离场 (记录 #${id}) 已由管理员作废${r.cancelReason ? ` (原因: ${r.cancelReason})` : ''}, ` +
          '作废的记录不会再上传, 也不能补推; 如确需上传, 请联系管理员',
      );
    }
    return r;
  }

  /** Each photo slot: a URL as it is, a picked file copied into the data folder; problems named by slot. */
  async function photos(
    form: ExitForm,
    stored: QueuedRecord | null,
  ): Promise<{
    values: Partial<Record<ImageSlot, SlotValue>>;
    shown: SubmitExitResult['images'];
    issues: FieldIssue[];
  }> {
    const values: Partial<Record<ImageSlot, SlotValue>> = {};
    const shown: SubmitExitResult['images'] = {};
    const issues: FieldIssue[] = [];
    for (const slot of IMAGE_SLOTS) {
      const given = form.images?.[slot];
      if (!given) {
        // A re-push: the form cannot name a copy already made, so a photo it does not replace stays.
        const kept = form.resubmitOf !== undefined ? stored?.record : undefined;
        const file = kept?.[`${slot}_file`];
        const url = kept?.[slot];
        if (typeof file === 'string') values[slot] = { file };
        else if (typeof url === 'string') values[slot] = { url };
        continue;
      }
      if ('url' in given) {
        values[slot] = { url: given.url };
        shown[slot] = { url: given.url } satisfies SlotResult;
        continue;
      }
      try {
        const copy = await copyImage(d.dataDir, await sourceOf(given.file), {
          imagesOnly: true,
          nameFor: (md5, kind) => `${md5}.${kind}`,
        });
        values[slot] = { file: copy.path };
        shown[slot] = { name: copy.name, size: copy.size, md5: copy.md5 };
      } catch (e) {
        const message = e instanceof ImageFileError || e instanceof ConsoleError ? e.message : null;
        if (message === null) throw e; // disk full, read-only folder: the storage message says it
        issues.push({ field: `images.${slot}`, message: `${SLOT_LABELS[slot]}: ${message}` });
      }
    }
    return { values, shown, issues };
  }

  /** A record of this serial stored with other content: what to do instead, in words. */
  function clash(serial: string, stored: QueuedRecord | null): ConsoleError {
    const where = stored ? ` (记录 #${stored.id})` : '';
    const message =
      stored?.state === 'accepted'
        ? `流水号 ${serial} 的离场平台已受理过${where}: 平台会忽略同一流水号的重复推送`
        : `流水号 ${serial} 的离场已保存过${where}, 内容不同: 要修改后重新推送, 请在「推送日志」或「队列」中打开该记录重新推送`;
    return new ConsoleError('conflict', message, [{ field: 'parking_serial', message }]);
  }

  return {
    submitExit: async (form: ExitForm): Promise<SubmitExitResult> => {
      const who = d.operator();
      const serial = form.parking_serial.trim();
      const target = form.resubmitOf !== undefined ? repushed(form.resubmitOf, serial) : null;
      const storedId = target ? null : d.exits.leaveId(serial);
      const stored = target ?? (storedId !== null ? d.queue.get(storedId) : null);

      const { values, shown, issues } = await photos(form, target);
      const record = exitToRecord(form, { operator: who, images: values, stored: stored?.record ?? null, now: now() });
      const checked = leaveRecordSchema.safeParse(record);
      if (!checked.success) {
        for (const i of toFieldIssues(checked.error)) issues.push({ field: formField(i.field), message: i.message });
      }
      if (issues.length > 0) throw new ConsoleError('invalid', '记录有误, 请按提示修改', issues);

      const mismatches = feeMismatches(form, form.payments ?? []);
      if (mismatches.length > 0 && form.confirmFees !== true) {
        throw new ConsoleError(
          'conflict',
          `费用合计与付款明细不一致: ${mismatches.map((m) => m.message).join('; ')}. 请核对后修改, 或确认按所填保存`,
          mismatches.map((m) => ({ field: m.field, message: m.message })),
        );
      }

      if (target) {
        try {
          const after = d.queue.resubmit(target.id, who, record);
          return { id: after.id, parkingSerial: after.key, existing: false, images: shown };
        } catch (e) {
          throw e instanceof RecordError ? formIssues(e) : e;
        }
      }
      try {
        const r = d.queue.enqueue('leave', record, { actor: who });
        return { id: r.id, parkingSerial: r.key, existing: r.existing, images: shown };
      } catch (e) {
        if (e instanceof RecordError && e.issues.some((i) => i.field === 'parking_serial' && stored))
          throw clash(serial, stored);
        throw e instanceof RecordError ? formIssues(e) : e;
      }
    },

    exitWarnings: ({ parking_serial, enter_time, resubmitOf }: WarningsInput): ExitWarnings => {
      const serial = parking_serial.trim();
      const records = d.exits
        .idsOfSerial(serial)
        .filter((id) => id !== resubmitOf)
        .map((id) => d.queue.get(id))
        .filter((r): r is QueuedRecord => r !== null);

      let acceptedBefore: ExitWarnings['acceptedBefore'] = null;
      const accepted = records.find((r) => r.endpoint === 'leave' && r.state === 'accepted');
      if (accepted) {
        const row = d.queue
          .queryLog({ endpoint: 'leave', key: accepted.key, limit: 50 })
          .rows.find((l) => l.recordId === accepted.id && (l.outcome === 'accepted' || l.outcome === 'ignored'));
        acceptedBefore = {
          recordId: accepted.id,
          at: accepted.acceptedAt ?? row?.at ?? accepted.updatedAt,
          seqno: row?.seqno ?? accepted.last.seqno,
        };
      }

      let enterTimeDiffers: ExitWarnings['enterTimeDiffers'] = null;
      if (enter_time !== undefined) {
        for (const r of records) {
          if (r.state === 'cancelled') continue; // never sent: the platform has no stay from it
          const entry = entryOf(r);
          if (!entry) continue;
          // An update's UTC text may stop at the second: compare at the precision it was written with.
          const same = entry.ms ? entry.at === enter_time : entry.at === Math.floor(enter_time / 1000) * 1000;
          if (!same) {
            enterTimeDiffers = { recordId: r.id, enterTime: entry.at };
            break;
          }
        }
      }
      return { acceptedBefore, enterTimeDiffers };
    },

    imagePreview: async ({ file }: { file: string }): Promise<ImagePreview> => {
      try {
        return await previewOf(await sourceOf(file), PREVIEW_MAX_BYTES);
      } catch (e) {
        if (e instanceof ImageFileError) throw new ConsoleError('invalid', e.message);
        throw e;
      }
    },

    imagesFolder: (): ImagesFolder => imagesFolderInfo(d.dataDir),
  };
}
