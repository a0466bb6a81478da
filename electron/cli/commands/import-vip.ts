/**
 * `import-vip --file F.xlsx|F.csv --data-dir D [--complete] [--batch-size N] [--skip-bad] [--map "表头=field,…"]`:
 * checks every row of a renewal spreadsheet with the record rules, then queues the good rows in batches as one
 * durable step (nothing is sent: the console or `drain` sends). Prints one JSON line:
 * `{rows, queued, alreadySent, bad: [{row, column, field, message}], batches, keys}`. Any bad row without
 * --skip-bad: nothing is queued and the exit code is 2. Rows queued by an earlier import are not queued again.
 */
import { readFile } from 'node:fs/promises';
import { mappingMemory } from '../../import/mapping-memory.ts';
import type { CheckedImport } from '../../import/vip-import.ts';
import { CliError, intFlag, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { checkDataDir, openCliQueue } from '../queue-target.ts';

export const importVipUsage =
  'import-vip --file F.xlsx|F.csv --data-dir D [--complete] [--batch-size N] [--skip-bad] [--map "表头=field,…"] ' +
  '[--actor 操作员]';

export async function importVipCommand(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  // The spreadsheet readers (exceljs, papaparse) load with this command only, not with every other one.
  const { parseMapArg } = await import('../../import/headers.ts');
  const { ImportFileError } = await import('../../import/read-table.ts');
  const { checkVipFile, commitVipImport } = await import('../../import/vip-import.ts');
  const { values, switches } = parseArgs('import-vip', argv, {
    values: ['file', 'data-dir', 'batch-size', 'map', 'actor'],
    switches: ['complete', 'skip-bad'],
    required: ['file', 'data-dir'],
  });
  const path = callerPath(values.file!);
  const dataDir = callerPath(values['data-dir']!);
  const batchFlag = intFlag('import-vip', 'batch-size', values['batch-size'], 1, 1000);
  let mapping: Record<string, string | null> | undefined;
  try {
    mapping = values.map !== undefined ? parseMapArg(values.map) : undefined;
  } catch (e) {
    if (e instanceof ImportFileError) throw new CliError(`import-vip: --map: ${e.message}`);
    throw e;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`import-vip: ${code === 'ENOENT' ? '找不到文件' : `无法读取文件 (${code})`}: ${path}`);
  }
  checkDataDir('import-vip', dataDir, true);

  const cli = openCliQueue({ dataDir, target: null });
  try {
    const s = cli.settings.get();
    const actor = values.actor ?? '命令行导入';
    let checked: CheckedImport;
    try {
      checked = await checkVipFile(
        cli.queue,
        { name: path, bytes },
        {
          zone: s.timeZone,
          ...(mapping ? { mapping } : {}),
          memory: mappingMemory(dataDir),
          ...(values.actor ? { operator: values.actor } : {}),
        },
      );
    } catch (e) {
      if (e instanceof ImportFileError) throw new CliError(`import-vip: ${e.message}`);
      throw e;
    }
    const p = checked.preview;
    const bad = p.issues.map((i) => ({ row: i.row, column: i.column, field: i.field, message: i.message }));
    const report = (queued: number, batches: { key: string }[]) =>
      out(
        JSON.stringify({
          rows: p.rows,
          queued,
          alreadySent: p.alreadySent,
          bad,
          batches: batches.length,
          keys: batches.map((b) => b.key),
          ...(p.missing.length > 0 ? { missing: p.missing } : {}),
        }),
      );
    if (p.missing.length > 0) {
      report(0, []);
      err(`import-vip: 缺少必填列 ${p.missing.join('、')}; 可用 --map "表头=字段" 指定; 未导入任何行`);
      return 2;
    }
    if (p.badRows > 0 && (!switches.has('skip-bad') || switches.has('complete'))) {
      report(0, []);
      err(
        `import-vip: ${p.badRows} 行有误 (见 bad); ` +
          (switches.has('complete')
            ? '完整上传不能跳过有误的行 (平台会删除不在表中的固定车)'
            : '改正后重新导入, 或加 --skip-bad 只导入正确的行') +
          '; 未导入任何行',
      );
      return 2;
    }
    const result = await commitVipImport(cli.queue, checked, {
      complete: switches.has('complete'),
      batchSize: batchFlag ?? s.vipBatchSize,
      actor,
    });
    report(result.queued, result.batches);
    err(
      `import-vip: 共 ${p.rows} 行, 新导入 ${result.queued} 行 (${result.batches.length} 批)` +
        (p.alreadySent > 0 ? `, ${p.alreadySent} 行此前已导入 (未重复)` : '') +
        (p.badRows > 0 ? `, 跳过有误的 ${p.badRows} 行` : ''),
    );
    return 0;
  } finally {
    await cli.close();
  }
}
