/** `vip-template --file F.xlsx`: writes the 固定车续费 template (Chinese headers, examples, a sheet of notes). */
import { writeFile } from 'node:fs/promises';
import { CliError, parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';

export const vipTemplateUsage = 'vip-template --file F.xlsx';

export async function vipTemplateCommand(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const { values } = parseArgs('vip-template', argv, { values: ['file'], required: ['file'] });
  const path = callerPath(values.file!);
  if (!/\.xlsx$/i.test(path)) throw new CliError(`vip-template: --file 须为 .xlsx 文件, 收到 "${values.file}"`);
  const { vipTemplateXlsx } = await import('../../import/template.ts');
  try {
    await writeFile(path, await vipTemplateXlsx());
  } catch (e) {
    throw new CliError(`vip-template: 无法写入 ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  out(JSON.stringify({ file: path }));
  err(`vip-template: 已写入模板 ${path}`);
  return 0;
}
