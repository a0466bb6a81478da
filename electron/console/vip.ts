/**
 * The contract's 固定车续费 methods: one renewal from the form, the form's defaults for a plate, and the
 * spreadsheet import (check, queue, the bad rows back as a file, the template). A checked file is kept in memory
 * by its handle until it is queued or replaced, so what the manager saw in the preview is what gets queued.
 */
import type { FileSource } from '../../shared/contract/host.ts';
import type { FileDownload, ImportPhase, ImportProgress } from '../../shared/contract/vip.ts';
import { normalizePlate } from '../../shared/records/plate.ts';
import { nextDay, type RenewalEntry, renewalRowOrThrow } from '../../shared/records/renewal.ts';
import { instantToLocal, parseUtc } from '../../shared/records/time.ts';
import { mappingMemory } from '../import/mapping-memory.ts';
import type { CheckedImport } from '../import/vip-import.ts';
import type { Queue } from '../queue/types.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ConsoleSession } from './session.ts';
import { ConsoleError } from './errors.ts';

export interface VipDeps {
  queue: Queue;
  settings: SettingsService;
  session: ConsoleSession;
  dataDir: string;
  files: FileSource | null;
  emit: (event: ImportProgress) => void;
}

/**
 * The spreadsheet code (exceljs, papaparse) is loaded when first used: a booth that never imports never pays for it
 * at start-up.
 */
const importer = () => import('../import/vip-import.ts');

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Checked files kept for their commit (the newest few). */
const KEEP_CHECKED = 3;
/** Progress events at most this often per file (the last one always goes). */
const PROGRESS_EVERY_MS = 100;

const download = (filename: string, bytes: Uint8Array): FileDownload => ({
  filename,
  mime: XLSX_MIME,
  base64: Buffer.from(bytes).toString('base64'),
});

/** The local day (YYYY-MM-DD) of a UTC instant text in `zone`, or null. */
function localDayOf(utc: unknown, zone: string): string | null {
  if (typeof utc !== 'string') return null;
  const t = parseUtc(utc);
  if (t === null) return null;
  const l = instantToLocal(t, zone);
  return `${String(l.year).padStart(4, '0')}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

export function createVipHandlers(d: VipDeps) {
  const checked = new Map<string, CheckedImport>();
  const memory = mappingMemory(d.dataDir);
  /** One import at a time: a second file checked or queued while one runs is refused, not interleaved. */
  let busy: string | null = null;

  const zone = () => d.settings.get().timeZone;
  /** Who the renewal names as its operator: the guard on shift, else the manager who unlocked. */
  const operator = () => d.session.operator() ?? d.session.get().managerName ?? '管理员';

  function progressFor(file: string) {
    let last = 0;
    return (phase: ImportPhase, done: number, total: number) => {
      const now = Date.now();
      if (done < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      d.emit({ type: 'import', file, phase, done, total });
    };
  }

  async function exclusive<T>(file: string, work: () => Promise<T>): Promise<T> {
    if (busy !== null) throw new ConsoleError('conflict', '另一个表格正在导入, 请等它完成');
    busy = file;
    try {
      return await work();
    } finally {
      busy = null;
    }
  }

  function mustChecked(file: string): CheckedImport {
    const c = checked.get(file);
    if (!c) throw new ConsoleError('not-found', '请先选择并检查文件 (或文件已过期, 请重新选择)');
    return c;
  }

  return {
    submitRenewal: (form: Omit<RenewalEntry, 'operator'>) => {
      const who = operator();
      const row = renewalRowOrThrow({ ...form, operator: who }, zone());
      const r = d.queue.enqueue('vip-recharge', { row: [row] }, { actor: who });
      return { id: r.id, key: r.key, payPartner: r.rows?.[0] ?? '', existing: r.existing };
    },

    renewalDefaults: ({ plate }: { plate?: string | undefined }) => {
      const chargeTypes = d.queue.chargeTypes();
      const last = plate ? d.queue.lastRenewal(normalizePlate(plate)) : null;
      if (!last) return { startDay: null, last: null, chargeTypes };
      const endDay = localDayOf(last.row.renewal_end_time, zone());
      return {
        startDay: endDay ? nextDay(endDay) : null,
        last: {
          vipType: String(last.row.vip_type ?? ''),
          chargeType: String(last.row.charge_type ?? ''),
          endDay,
          at: last.at,
        },
        chargeTypes,
      };
    },

    checkVipImport: ({ file, mapping }: { file: string; mapping?: Record<string, string | null> | undefined }) =>
      exclusive(file, async () => {
        if (!d.files) throw new ConsoleError('unavailable', '此窗口不能选择文件');
        const picked = await d.files.read(file);
        const { checkVipFile } = await importer();
        const result = await checkVipFile(d.queue, picked, {
          zone: zone(),
          ...(mapping ? { mapping } : {}),
          memory,
          operator: operator(),
          onProgress: progressFor(file),
        });
        checked.delete(file);
        checked.set(file, result);
        while (checked.size > KEEP_CHECKED) checked.delete(checked.keys().next().value!);
        return { ...result.preview, file, batchSize: d.settings.get().vipBatchSize };
      }),

    commitVipImport: (input: {
      file: string;
      complete?: boolean | undefined;
      confirmParkName?: string | undefined;
      batchSize?: number | undefined;
    }) =>
      exclusive(input.file, async () => {
        const c = mustChecked(input.file);
        if (input.complete) {
          const parkName = d.settings.get().parkName;
          if (!parkName) throw new ConsoleError('invalid', '完整上传前请先在「设置」中填写车场名称');
          if ((input.confirmParkName ?? '').trim() !== parkName) {
            throw new ConsoleError('invalid', '输入的车场名称不对, 未上传', [
              { field: 'confirmParkName', message: `请输入车场名称「${parkName}」以确认完整上传` },
            ]);
          }
        }
        const { commitVipImport } = await importer();
        const result = await commitVipImport(d.queue, c, {
          complete: input.complete === true,
          batchSize: input.batchSize ?? d.settings.get().vipBatchSize,
          actor: d.session.managerActor(),
          onProgress: progressFor(input.file),
        });
        // Queued: checking it again would now show its rows as sent, which is the truth; the old preview is not.
        checked.delete(input.file);
        if (c.problems.size > 0) checked.set(input.file, { ...c, rows: [], already: [] });
        return result;
      }),

    vipImportBadRows: async ({ file }: { file: string }) => {
      const c = mustChecked(file);
      if (c.problems.size === 0) throw new ConsoleError('invalid', '没有有误的行');
      const name = c.table.fileName.replace(/\.(xlsx|csv)$/i, '');
      const { badRowsXlsx } = await import('../import/bad-rows.ts');
      return download(`${name}-有误的行.xlsx`, await badRowsXlsx(c.table, c.problems));
    },

    vipTemplate: async () => {
      const { vipTemplateXlsx } = await import('../import/template.ts');
      return download('固定车续费模板.xlsx', await vipTemplateXlsx());
    },
  };
}
