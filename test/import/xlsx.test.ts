/**
 * .xlsx workbooks as Excel and other programs write them: parts in Excel's order (sheets before the shared strings and
 * styles they use), rich text, inline strings, formulas, hyperlinks, dates; old and foreign formats refused in words.
 */
import { describe, expect, it } from 'vitest';
import { mapHeaders } from '../../electron/import/headers.ts';
import { ImportFileError, readTable } from '../../electron/import/read-table.ts';
import { rowToEntry } from '../../electron/import/rows.ts';
import { TEMPLATE_HEADERS, utf8, wall, xlsxOf, ZONE, zip } from './helpers.ts';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS = `xmlns="${MAIN}" xmlns:r="${REL}"`;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const workbookXml = (sheets: string) =>
  `${XML}<workbook ${NS}><workbookPr/><bookViews/><sheets>${sheets}</sheets></workbook>`;
const relsXml = (rels: [string, string, string][]) =>
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`)
    .join('')}</Relationships>`;
const sheetXml = (rows: string, extra = '') =>
  `${XML}<worksheet ${NS}><dimension ref="A1:M6"/><sheetData>${rows}</sheetData>${extra}</worksheet>`;
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const shared = (ref: string, index: number, style = '') => `<c r="${ref}"${style} t="s"><v>${index}</v></c>`;

const STYLES = `<styleSheet xmlns="${MAIN}">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs></styleSheet>`;

const STRINGS = [
  '<si><t>2026年12月 固定车续费</t></si>',
  '<si><r><rPr><b/></rPr><t>车牌</t></r><r><t>号码</t></r></si>',
  '<si><t>固定车类型</t></si>',
  '<si><t>月卡</t></si>',
  '<si><t>P20261201000000000001</t></si>',
  '<si><t>粤B12345</t></si>',
  '<si><t>张三</t><rPh sb="0" eb="2"><t>zhang san</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>',
  '<si><t>操作员</t></si>',
  '<si><t>张_x000D_三</t></si>',
  '<si><t>车场订单号</t></si>',
];
const SHARED_STRINGS = `<sst xmlns="${MAIN}" count="${STRINGS.length}">${STRINGS.join('')}</sst>`;

const DATA_ROWS = [
  `<row r="1">${shared('A1', 0)}</row>`,
  `<row r="3">${shared('A3', 1)}${inline('B3', '车牌颜色')}${inline('C3', '收费类型')}${shared('D3', 2)}${inline(
    'E3',
    '续费数量',
  )}${inline('F3', '支付方式')}${inline('G3', '开始日期')}${inline('H3', '结束日期')}${inline('I3', '支付时间')}${inline(
    'J3',
    ' 支付金额（元） ',
  )}${shared('K3', 9)}${shared('L3', 7)}${inline('M3', '是否有效')}</row>`,
  `<row r="4">${shared('A4', 5)}<c r="B4"><v>1</v></c><c r="C4" t="str"><f>"MON_"&amp;"A"</f><v>MON_A</v></c>${shared(
    'D4',
    3,
  )}<c r="E4"><v>1</v></c>${inline('F4', '微信')}<c r="G4" s="1"><v>46357</v></c>` +
    '<c r="H4" s="2"><f>EDATE(G4,1)-1</f><v>46387</v></c><c r="I4" s="3"><v>46346.354166666664</v></c>' +
    `<c r="J4"><v>1200.5</v></c>${shared('K4', 4)}${shared('L4', 6)}<c r="M4" t="b"><v>1</v></c></row>`,
  '<row r="5"><c r="A5" s="1"/><c r="B5" t="inlineStr"><is><t> </t></is></c></row>',
  `<row r="6">${inline('A6', '粤B12346')}<c r="C6"><f>A1</f></c><c r="D6" t="e"><v>#N/A</v></c>` +
    '<c r="G6" s="4"><v>46357</v></c><c r="H6" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="J6"><v>19.99</v></c>' +
    `${shared('L6', 8)}</row>`,
].join('');

/** A workbook laid out as Excel lays it out, with a hidden first sheet and the data at an unusual part name. */
function excelLikeWorkbook(): Uint8Array {
  return zip([
    ['[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['_rels/.rels', relsXml([['rId1', 'officeDocument', 'xl/workbook.xml']])],
    [
      'xl/workbook.xml',
      workbookXml(
        '<sheet name="旧表" sheetId="1" state="hidden" r:id="rId1"/><sheet name="数据" sheetId="2" r:id="rId2"/>',
      ),
    ],
    [
      'xl/_rels/workbook.xml.rels',
      relsXml([
        ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
        ['rId2', 'worksheet', '/xl/worksheets/data.xml'],
        ['rId3', 'styles', 'styles.xml'],
        ['rId4', 'sharedStrings', 'sharedStrings.xml'],
      ]),
    ],
    ['xl/worksheets/sheet1.xml', sheetXml(`<row r="1">${inline('A1', '旧的')}${inline('B1', '不读')}</row>`)],
    ['xl/worksheets/data.xml', sheetXml(DATA_ROWS, '<hyperlinks><hyperlink ref="K4" r:id="rId1"/></hyperlinks>')],
    ['xl/worksheets/_rels/data.xml.rels', relsXml([['rId1', 'hyperlink', 'https://example.com/order']])],
    ['xl/styles.xml', STYLES],
    ['xl/sharedStrings.xml', SHARED_STRINGS],
  ]);
}

const date = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  date: { year, month, day, hour, minute, second },
});

describe('a workbook as Excel stores it', () => {
  it('reads every kind of cell as a plain value, in the sheet chosen, with its own row numbers', async () => {
    const table = await readTable('续费.xlsx', excelLikeWorkbook());
    expect(table.headerRow).toBe(3);
    expect(table.headers).toEqual([
      '车牌号码',
      '车牌颜色',
      '收费类型',
      '固定车类型',
      '续费数量',
      '支付方式',
      '开始日期',
      '结束日期',
      '支付时间',
      '支付金额（元）',
      '车场订单号',
      '操作员',
      '是否有效',
    ]);
    expect(table.rows.map((r) => r.row)).toEqual([4, 6]);
    expect(table.rows[0]!.cells).toEqual([
      '粤B12345',
      1,
      'MON_A',
      '月卡',
      1,
      '微信',
      date(2026, 12, 1),
      date(2026, 12, 31), // a formula's result in a date cell
      date(2026, 11, 20, 8, 30),
      1200.5,
      'P20261201000000000001', // a hyperlink: its text
      '张三', // the phonetic guide is not the cell's text
      true,
    ]);
    expect(table.rows[1]!.cells).toEqual([
      '粤B12346',
      null,
      '=A1', // a formula without a stored result
      '#N/A',
      null,
      null,
      46357, // a built-in Chinese date format exceljs does not know: a serial day number
      '#DIV/0!', // a formula's error, with its code
      null,
      19.99,
      null,
      '张\r三',
    ]);
  });

  it('gives the importer a good renewal from the good row and named problems from the other', async () => {
    const table = await readTable('续费.xlsx', excelLikeWorkbook());
    const { columns, missing } = mapHeaders(table.headers);
    expect(missing).toEqual([]);
    const good = rowToEntry(table.rows[0]!.cells, columns, ZONE);
    expect(good.issues).toEqual([]);
    expect(good.entry).toEqual({
      plate: '粤B12345',
      plate_color: '1',
      charge_type: 'MON_A',
      vip_type: '1',
      quantity: 1,
      pay_type: '2',
      start_day: '2026-12-01',
      end_day: '2026-12-31',
      pay_time: Date.UTC(2026, 10, 20, 0, 30),
      pay_value: 120050,
      pay_partner: 'P20261201000000000001',
      operator: '张三',
    });
    const bad = rowToEntry(table.rows[1]!.cells, columns, ZONE);
    expect(bad.entry).toBeNull();
    expect(bad.issues.map((i) => [i.column, i.field])).toEqual([
      [1, 'plate_color'],
      [2, 'charge_type'],
      [3, 'vip_type'],
      [4, 'quantity'],
      [5, 'pay_type'],
      [7, 'end_day'],
      [11, 'operator'],
    ]);
    expect(bad.issues.find((i) => i.field === 'end_day')!.message).toBe(
      '结束日期是公式错误 #DIV/0!, 请在 Excel 中改正公式或直接填写',
    );
    expect(bad.issues.find((i) => i.field === 'operator')!.message).toMatch(/^操作员: 不能含控制字符/);
  });

  it('chooses the sheet named 续费 wherever it is', async () => {
    const bytes = await xlsxOf(
      [
        ['车牌号码', '车牌颜色'],
        ['粤B12345', '蓝色'],
      ],
      { sheet: '续费', extraSheets: ['封面', '统计'] },
    );
    const table = await readTable('a.xlsx', bytes);
    expect(table.rows).toEqual([{ row: 2, cells: ['粤B12345', '蓝色'] }]);
  });
});

describe('a workbook written by exceljs (as the template and bad-rows files are)', () => {
  it('reads dates as the wall clock they show, whatever the PC zone, and plates as text', async () => {
    expect(process.env.TZ).toBe('America/Los_Angeles');
    const bytes = await xlsxOf(
      [
        ['车牌号码', '开始日期', '支付时间', '续费数量', '逻辑卡号'],
        ['粤B12345', wall(2026, 12, 1), wall(2026, 3, 8, 2, 30), 1, 12345678],
      ],
      { formats: { 2: 'yyyy-mm-dd', 3: 'yyyy-mm-dd hh:mm' } },
    );
    const table = await readTable('a.xlsx', bytes);
    expect(table.rows[0]!.cells).toEqual(['粤B12345', date(2026, 12, 1), date(2026, 3, 8, 2, 30), 1, 12345678]);
  });
});

describe('files that are not an .xlsx to read', () => {
  const OLE = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
  const XLS_MESSAGE = /旧版 Excel 97-2003 \(\.xls\) 格式.*请在 Excel 中另存为 \.xlsx/;

  it('refuses Excel 97 (.xls) by its bytes, whatever its name', async () => {
    for (const name of ['续费.xls', '续费.xlsx', '续费.csv']) {
      const error = await readTable(name, OLE).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFileError);
      expect((error as Error).message).toMatch(XLS_MESSAGE);
    }
  });

  it('refuses a file named .xls that is something else (a web page some systems export)', async () => {
    await expect(readTable('export.xls', utf8('<html><table></table></html>'))).rejects.toThrow(XLS_MESSAGE);
  });

  it('says what a zip that is no workbook is', async () => {
    const docx = zip([['word/document.xml', '<w:document/>']]);
    await expect(readTable('a.xlsx', docx)).rejects.toThrow(
      '这个文件不是 Excel 工作簿 (.xlsx), 请在 Excel 中打开后另存为',
    );
    const ods = zip([
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      ['content.xml', '<x/>'],
    ]);
    await expect(readTable('a.ods', ods)).rejects.toThrow(/\.ods 表格, 请另存为 \.xlsx/);
  });

  it('refuses a broken or renamed file in words', async () => {
    await expect(readTable('a.xlsx', utf8('PK\u0003\u0004 not really'))).rejects.toThrow(/不是有效的 \.xlsx 文件/);
    await expect(readTable('a.xlsx', utf8('车牌号码,车牌颜色'))).rejects.toThrow(/不是有效的 \.xlsx 文件/);
  });

  it('refuses an empty sheet and a header without rows', async () => {
    await expect(readTable('a.xlsx', await xlsxOf([]))).rejects.toThrow('文件「a.xlsx」里没有内容: 第一行应是表头');
    await expect(readTable('a.xlsx', await xlsxOf([['车牌号码', '车牌颜色']]))).rejects.toThrow(/只有表头/);
  });

  const oneSheet = (sheet: string) =>
    zip([
      ['xl/workbook.xml', workbookXml('<sheet name="S" sheetId="1" r:id="rId1"/>')],
      ['xl/_rels/workbook.xml.rels', relsXml([['rId1', 'worksheet', 'worksheets/sheet1.xml']])],
      ['xl/worksheets/sheet1.xml', sheet],
    ]);

  it('reads formula results the streaming reader would drop (0, "", FALSE) and inline text in runs', async () => {
    const rows = [
      `<row r="1">${inline('A1', '车牌号码')}${inline('B1', '面额')}${inline('C1', '有效')}${inline('D1', '备注')}</row>`,
      '<row r="2"><c r="A2" t="str"><f>IF(1,"粤B12345","")</f><v>粤B12345</v></c><c r="B2"><f>0*1</f><v>0</v></c>' +
        '<c r="C2" t="b"><f>1=0</f><v>0</v></c><c r="D2" t="str"><f>"A&amp;lt;B"</f><v>A&amp;lt;B</v></c></row>',
      // Formulas filled down past the data: every result "", a blank row.
      '<row r="3"><c r="A3" t="str"><f>IF(0,1,"")</f><v></v></c><c r="B3" t="str"><f>IF(0,1,"")</f><v/></c></row>',
      '<row r="4"><c r="A4"><f>B1&amp;"x"</f></c><c r="B4"><f t="shared" si="0"/></c></row>',
      '<row r="5"><c r="A5" t="inlineStr"><is><r><rPr><b/></rPr><t>粤B</t></r><r><t>12346</t></r></is></c>' +
        '<c r="D5" t="inlineStr"><is><t>x&amp;lt;y &amp; z</t></is></c></row>',
    ].join('');
    const table = await readTable('a.xlsx', oneSheet(sheetXml(rows)));
    expect(table.rows).toEqual([
      { row: 2, cells: ['粤B12345', 0, false, 'A&lt;B'] },
      { row: 4, cells: ['=B1&"x"', '=(公式)'] },
      { row: 5, cells: ['粤B12346', null, null, 'x&lt;y & z'] },
    ]);
  });

  it('refuses in words a sheet whose cells have no addresses', async () => {
    const bare = sheetXml('<row><c t="inlineStr"><is><t>车牌号码</t></is></c><c><v>1</v></c></row>');
    await expect(readTable('a.xlsx', oneSheet(bare))).rejects.toThrow(
      '无法读取这个 .xlsx 文件的内容, 请在 Excel 中打开后另存为 .xlsx (Excel 工作簿) 再导入',
    );
  });
});

describe('20,000 rows', () => {
  it('never holds the event loop for long, and reports progress as it goes', async () => {
    const rows: unknown[][] = [TEMPLATE_HEADERS];
    for (let i = 0; i < 20_000; i++) {
      rows.push([
        `粤B${String(i).padStart(5, '0')}`,
        '蓝色',
        'MON_A',
        '月卡',
        1,
        `P${i}`,
        '现金',
        31,
        wall(2026, 11, 20, 8, 30),
        wall(2026, 12, 1),
        wall(2026, 12, 31),
        300,
        '张三',
        `C${i}`,
        `D${i}`,
      ]);
    }
    const bytes = await xlsxOf(rows, { formats: { 9: 'yyyy-mm-dd hh:mm', 10: 'yyyy-mm-dd', 11: 'yyyy-mm-dd' } });

    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const progress: [number, number][] = [];
    const started = performance.now();
    const table = await readTable('big.xlsx', bytes, (done, total) => progress.push([done, total]));
    const took = performance.now() - started;
    clearInterval(timer);
    console.log(
      `xlsx 20,000 rows (${(bytes.length / 1024).toFixed(0)} KB): read in ${took.toFixed(0)} ms, ` +
        `longest event-loop gap ${longest.toFixed(0)} ms, ${progress.length} progress reports`,
    );

    expect(table.rows).toHaveLength(20_000);
    expect(table.rows[19_999]).toMatchObject({ row: 20_001 });
    expect(table.rows[12_345]!.cells[0]).toBe('粤B12345');
    expect(progress.length).toBeGreaterThan(20);
    expect(progress[0]![1]).toBe(20_001); // the sheet's dimension, known before the rows
    expect(progress.at(-1)).toEqual([20_001, 20_001]);
    expect(longest).toBeLessThan(500);
  });
});

describe('Chinese text across the reader’s pieces', () => {
  it('every character of 20,000 rows reads back as written, in shared strings and in the sheet', async () => {
    const { renewalRows, xlsxOf: sheetOf } = await import('../support/vip-sheets.ts');
    const rows = renewalRows(20_000, { seed: 7 });
    // A multi-byte character falls on every boundary sooner or later: names of every length move the boundaries.
    rows.forEach((r, i) => {
      r[12] = `收费员${'张王李赵'.repeat(i % 5)}`;
    });
    const table = await readTable('a.xlsx', await sheetOf(TEMPLATE_HEADERS, rows));
    const wrong = table.rows.filter((r, i) => r.cells[0] !== rows[i]![0] || r.cells[12] !== rows[i]![12]);
    expect(wrong.map((r) => r.row)).toEqual([]);
  }, 60_000);
});
