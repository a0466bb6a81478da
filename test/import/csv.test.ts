/** CSV files as managers keep them: UTF-8 or GBK, any of three delimiters, blank lines and title rows. */
import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter } from '../../electron/import/read-csv.ts';
import { ImportFileError, readTable } from '../../electron/import/read-table.ts';
import { gbk, utf8, withBom } from './helpers.ts';

const CSV = '车牌号码,车牌颜色,固定车类型,支付金额(元)\r\n粤B12345,蓝色,月卡,"￥1,200.00"\r\n粤A00001,2,5,300\r\n';

describe('encodings, told without asking', () => {
  it('checks the GBK fixture encoder against known GBK bytes', () => {
    expect([...gbk('车牌号码')]).toEqual([0xb3, 0xb5, 0xc5, 0xc6, 0xba, 0xc5, 0xc2, 0xeb]);
    expect([...gbk('粤')]).toEqual([0xd4, 0xc1]);
  });

  it.each([
    ['UTF-8 with a byte-order mark', withBom(CSV)],
    ['UTF-8 without one', utf8(CSV)],
    ['GBK (Excel on a Chinese PC)', gbk(CSV)],
  ])('%s', async (_name, bytes) => {
    const table = await readTable('续费.csv', bytes);
    expect(table.headers).toEqual(['车牌号码', '车牌颜色', '固定车类型', '支付金额(元)']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['粤B12345', '蓝色', '月卡', '￥1,200.00'] },
      { row: 3, cells: ['粤A00001', '2', '5', '300'] },
    ]);
  });

  it('reads hand-made GBK bytes without a single UTF-8 sequence in them', async () => {
    const bytes = new Uint8Array([
      ...[0xb3, 0xb5, 0xc5, 0xc6, 0xba, 0xc5, 0xc2, 0xeb], // 车牌号码
      0x2c,
      ...utf8('x\r\n'),
      0xd4,
      0xc1, // 粤
      ...utf8('B12345,1\r\n'),
    ]);
    const table = await readTable('a.csv', bytes);
    expect(table.headers).toEqual(['车牌号码', 'x']);
    expect(table.rows[0]!.cells).toEqual(['粤B12345', '1']);
  });

  it('reads UTF-16 with its byte-order mark (Excel "Unicode 文本")', () => {
    const text = '车牌号码\t车牌颜色\r\n粤B12345\t蓝色\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(bytes)).toBe(text);
  });

  it('refuses binary content named .csv', async () => {
    await expect(readTable('x.csv', new Uint8Array([0x41, 0, 0x42, 0, 0x0a]))).rejects.toThrow(/不是文本格式的 CSV/);
  });
});

describe('delimiters', () => {
  it.each([
    [',', 'a,b,c\n1,2,3'],
    [';', 'a;b;c\n1,5;2;3'],
    ['\t', 'a\tb\tc\n"1,200"\t2\t3'],
    [',', 'title only\na,b\n'],
  ])('%j in %j', (d, text) => {
    expect(detectDelimiter(text)).toBe(d);
  });

  it('reads semicolon and tab files into the same table', async () => {
    for (const d of [';', '\t']) {
      const table = await readTable('x.csv', utf8(CSV.replace(/,(?=[^"]*(?:"[^"]*"[^"]*)*$)/gm, d)));
      expect(table.rows[0]!.cells).toEqual(['粤B12345', '蓝色', '月卡', '￥1,200.00']);
    }
  });

  it("takes Excel's sep= hint line and numbers rows without it", async () => {
    const table = await readTable('x.csv', utf8('sep=;\r\n车牌号码;车牌颜色\r\n粤B12345;1,5\r\n'));
    expect(table.headerRow).toBe(1);
    expect(table.rows).toEqual([{ row: 2, cells: ['粤B12345', '1,5'] }]);
  });
});

describe('rows, blank lines and headers', () => {
  it('finds the header on the first non-empty line, trims it and skips blank rows keeping line numbers', async () => {
    const text = '\r\n,,\r\n 车牌号码 , 车牌颜色 \r\n粤B12345,蓝色\r\n\r\n , \r\n粤B12346,黄色\r\n';
    const table = await readTable('x.csv', utf8(text));
    expect(table.headerRow).toBe(3);
    expect(table.headers).toEqual(['车牌号码', '车牌颜色']);
    expect(table.rows.map((r) => r.row)).toEqual([4, 7]);
  });

  it('skips a one-cell title row above the header', async () => {
    const table = await readTable(
      'x.csv',
      utf8('2026年12月固定车续费表,,\n车牌号码,车牌颜色,固定车类型\n粤B12345,1,1\n'),
    );
    expect(table.headerRow).toBe(2);
    expect(table.headers).toEqual(['车牌号码', '车牌颜色', '固定车类型']);
    expect(table.rows).toEqual([{ row: 3, cells: ['粤B12345', '1', '1'] }]);
  });

  it('keeps every cell text: plates, order numbers with leading zeros and long numbers', async () => {
    const table = await readTable(
      'x.csv',
      utf8('车牌号码,车场订单号,续费数量\n粤B12345,000123,1\n粤B12346,20261126123456789012,2\n'),
    );
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['粤B12345', '000123', '1'],
      ['粤B12346', '20261126123456789012', '2'],
    ]);
  });

  it('takes ="00123" (text kept as text by the exporting system) as its text', async () => {
    const table = await readTable('x.csv', utf8('车牌号码,车场订单号\n粤B12345,="0020261126123456789012"\n'));
    expect(table.rows[0]!.cells).toEqual(['粤B12345', '0020261126123456789012']);
  });

  it('numbers a row holding a line break inside quotes as Excel does (one row)', async () => {
    const table = await readTable('x.csv', utf8('车牌号码,操作员\n粤B12345,"张\n三"\n粤B12346,李四\n'));
    expect(table.rows).toEqual([
      { row: 2, cells: ['粤B12345', '张\n三'] },
      { row: 3, cells: ['粤B12346', '李四'] },
    ]);
  });

  it('refuses a quote that is never closed, naming the row', async () => {
    const text = `车牌号码,操作员\n粤B12345,张三\n粤B12346,"李四\n${'粤B12347,王五\n'.repeat(3)}`;
    const error = await readTable('x.csv', utf8(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/^第 3 行附近的引号没有配对/);
  });

  it('refuses an empty file, a file of blank lines and a header without rows', async () => {
    await expect(readTable('x.csv', new Uint8Array())).rejects.toThrow('文件「x.csv」是空的, 没有可导入的内容');
    await expect(readTable('x.csv', withBom('\r\n , \r\n\r\n'))).rejects.toThrow(/里没有内容: 第一行应是表头/);
    await expect(readTable('x.csv', utf8('车牌号码,车牌颜色\r\n'))).rejects.toThrow(/只有表头, 没有要导入的行/);
  });

  it('reads 20,000 rows in pieces without losing or shifting a row, yielding to the event loop', async () => {
    const lines = ['车牌号码,操作员,支付金额(元)'];
    for (let i = 0; i < 20_000; i++) {
      const note = i % 997 === 0 ? `"多行\n备注 ${i}"` : `"张,${i}"`;
      lines.push(`粤B${String(i).padStart(5, '0')},${note},"1,${String(i % 1000).padStart(3, '0')}.50"`);
    }
    const bytes = gbk(`${lines.join('\r\n')}\r\n`);
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const progress: number[] = [];
    const started = performance.now();
    const table = await readTable('big.csv', bytes, (done) => progress.push(done));
    const took = performance.now() - started;
    clearInterval(timer);
    console.log(
      `CSV 20,000 rows (GBK): read in ${took.toFixed(0)} ms, longest event-loop gap ${longest.toFixed(0)} ms`,
    );
    expect(table.rows).toHaveLength(20_000);
    table.rows.forEach((r, i) => {
      expect(r.row).toBe(i + 2);
      expect(r.cells[0]).toBe(`粤B${String(i).padStart(5, '0')}`);
    });
    expect(table.rows[997]!.cells[1]).toBe('多行\n备注 997');
    expect(progress.length).toBeGreaterThan(10);
    expect(longest).toBeLessThan(500);
  });
});

describe('what is not a CSV', () => {
  it('refuses other files with a plain sentence', async () => {
    await expect(readTable('说明.pdf', utf8('%PDF-1.7'))).rejects.toThrow(
      '只能导入 Excel 工作簿 (.xlsx) 或 CSV 文件 (.csv), 文件「说明.pdf」不是',
    );
  });
});
