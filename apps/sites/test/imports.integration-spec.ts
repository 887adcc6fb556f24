import { randomUUID } from 'node:crypto';
import { Workbook } from 'exceljs';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { creditCodeCheckCharacter } from '@ecomlog/contracts';
import { uniqueSuffix } from '@ecomlog/testing';
import {
  problem as problemOf,
  startSitesApp,
  type HttpAgent,
  type SitesTestApp,
} from './sites-harness';

// Division codes under a province prefix no real division uses (90–99).
const province = `9${Math.floor(Math.random() * 10)}`;
const county = `${province}0101`;
const COUNTY = `${county}000000`;
const TOWN = `${county}101000`;
const VILLAGES = [201, 202, 203, 204, 205].map((n) => `${county}101${n}`);
const OTHER_COUNTY = `${province}0102000000`;
const OTHER_TOWN = `${province}0102101000`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const OPERATOR_ID = randomUUID();
const OPERATOR_NAME = `测试县供销电子商务有限公司${uniqueSuffix()}`;
const OPERATOR_CODE = (() => {
  const first17 = `91${county}MA${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}X`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
})();

interface ImportError {
  line: number;
  column: string | null;
  field: string | null;
  reason: string;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: ImportError[];
  [extension: string]: unknown;
}

interface Report {
  mode: string;
  dryRun: boolean;
  format: string;
  encoding?: string;
  rows: number;
  valid: number;
  rejected: number;
  imported: number;
  sites: { line: number; id: string; name: string }[];
  errors: ImportError[];
}

describe('bulk import of sites from CSV and XLSX on the real database, Kafka and Redis', () => {
  let t: SitesTestApp;
  let dataSource: DataSource;
  /** A commerce official of the county. */
  let commerce: HttpAgent;
  let serial = 0;

  /** A site name no other test uses. */
  function name(label = '电商服务点'): string {
    serial += 1;
    return `测试村${serial}号${label}`;
  }

  function csvRow(cells: (string | number)[]): string {
    return cells
      .map((cell) => {
        const text = String(cell);
        return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',');
  }

  const ENGLISH_HEADER = 'name,kind,divisionCode,operatorEnterpriseId,carriers,dailyCapacity';

  /** Three good village points and, on file line 4, one whose division code is cut short. */
  function csvWithOneBadRow(): { text: string; names: string[] } {
    const names = [name(), name(), name(), name()];
    const text = [
      ENGLISH_HEADER,
      csvRow([names[0], 'village_service_point', VILLAGES[0], OPERATOR_ID, 'ZTO;YTO', 300]),
      csvRow([names[1], 'village_service_point', VILLAGES[1], OPERATOR_ID, 'ZTO', 120]),
      csvRow([names[2], 'village_service_point', '64052110', OPERATOR_ID, '', '']),
      csvRow([names[3], 'village_service_point', VILLAGES[2], OPERATOR_ID, 'YTO', 80]),
    ].join('\r\n');
    return { text: `${text}\r\n`, names };
  }

  async function siteCount(): Promise<number> {
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM site',
    );
    return Number(count);
  }

  function postCsv(
    body: string | Buffer,
    query: Record<string, string> = {},
    agent = commerce,
  ): request.Test {
    return agent
      .post('/v1/sites/imports')
      .query(query)
      .set('content-type', 'text/csv; charset=utf-8')
      .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  }

  async function problem(test: request.Test, status: number): Promise<Problem> {
    return problemOf<Problem>(test, status);
  }

  async function report(test: request.Test, status: number): Promise<Report> {
    const response = await test;
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    return response.body as Report;
  }

  beforeAll(async () => {
    t = await startSitesApp('imports');
    dataSource = t.dataSource;
    commerce = t.as(['commerce'], county);

    // The read models, as the registry's events would have filled them.
    const divisions: [string, string, string, string | null, boolean][] = [
      [COUNTY, '测试县', 'county', null, false],
      [TOWN, '测试镇', 'town', COUNTY, false],
      ...VILLAGES.map((code, i): [string, string, string, string | null, boolean] => [
        code,
        `测试${i + 1}村`,
        'village',
        TOWN,
        true,
      ]),
      [OTHER_COUNTY, '邻县', 'county', null, false],
      [OTHER_TOWN, '邻镇', 'town', OTHER_COUNTY, false],
    ];
    for (const [code, divisionName, level, parent, administrativeVillage] of divisions) {
      await dataSource.query(
        `INSERT INTO known_division (code, name, level, parent_code, administrative_village, status, version, events_seen)
         VALUES ($1, $2, $3, $4, $5, 'active', 1, 1)`,
        [code, divisionName, level, parent, administrativeVillage],
      );
    }
    const enterprises: [string, string, string, string[], string | null][] = [
      [OPERATOR_ID, OPERATOR_CODE, OPERATOR_NAME, ['service_contractor'], null],
      [
        randomUUID(),
        OPERATOR_CODE.replace(/^91/, '92'),
        '中通快递测试县分公司',
        ['courier'],
        'ZTO',
      ],
      [
        randomUUID(),
        OPERATOR_CODE.replace(/^91/, '93'),
        '圆通速递测试县分公司',
        ['courier'],
        'YTO',
      ],
    ];
    for (const [id, code, enterpriseName, kinds, carrier] of enterprises) {
      await dataSource.query(
        `INSERT INTO known_enterprise (id, credit_code, name, kinds, carrier_code, registered_division_code, status, version, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', 1, '{}')`,
        [id, code, enterpriseName, kinds, carrier, COUNTY],
      );
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('rejects a CSV with one bad row among good ones, naming its line and column, and imports nothing', async () => {
    const { text } = csvWithOneBadRow();
    const before = await siteCount();
    const body = await problem(postCsv(text), 422);
    expect(body.type).toMatch(/import-rejected$/);
    expect(body.errors).toEqual([
      expect.objectContaining({ line: 4, column: 'divisionCode', field: 'divisionCode' }),
    ]);
    expect(body.errors?.[0].reason).toContain('12-digit');
    expect(body.detail).toContain('line 4, divisionCode');
    expect(body.detail).toContain('nothing was imported');
    expect(body.detail).toContain('mode=valid-rows');
    expect(body).toMatchObject({ rows: 4, valid: 3, rejected: 1, imported: 0 });
    expect(await siteCount()).toBe(before);
  });

  it('imports the valid rows of the same CSV with mode=valid-rows and reports the bad one', async () => {
    const { text, names } = csvWithOneBadRow();
    const before = await siteCount();
    const result = await report(postCsv(text, { mode: 'valid-rows' }), 201);
    expect(result).toMatchObject({
      mode: 'valid-rows',
      dryRun: false,
      format: 'csv',
      rows: 4,
      valid: 3,
      rejected: 1,
      imported: 3,
    });
    expect(result.sites.map((site) => [site.line, site.name])).toEqual([
      [2, names[0]],
      [3, names[1]],
      [5, names[3]],
    ]);
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 4, column: 'divisionCode', field: 'divisionCode' }),
    ]);
    expect(await siteCount()).toBe(before + 3);

    const [site] = await dataSource.query<
      { carriers: string[]; daily_capacity: number; operator_enterprise_id: string }[]
    >('SELECT carriers, daily_capacity, operator_enterprise_id FROM site WHERE id = $1', [
      result.sites[0].id,
    ]);
    expect(site).toEqual({
      carriers: ['YTO', 'ZTO'],
      daily_capacity: 300,
      operator_enterprise_id: OPERATOR_ID,
    });
    const events = await dataSource.query<{ event_type: string }[]>(
      'SELECT event_type FROM outbox_event WHERE message_key = ANY($1)',
      [result.sites.map((s) => s.id)],
    );
    expect(events.map((e) => e.event_type)).toEqual(
      Array(3).fill('cn.ecomlog.sites.site-changed.v1'),
    );
    const audits = await dataSource.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM audit_entry WHERE entity_id = ANY($1)',
      [result.sites.map((s) => s.id)],
    );
    expect(Number(audits[0].count)).toBe(3);
  });

  it('checks without writing on dryRun=true', async () => {
    const { text } = csvWithOneBadRow();
    const before = await siteCount();
    const result = await report(postCsv(text, { mode: 'valid-rows', dryRun: 'true' }), 200);
    expect(result).toMatchObject({ dryRun: true, rows: 4, valid: 3, rejected: 1, imported: 0 });
    expect(result.sites).toEqual([]);
    await problem(postCsv(text, { dryRun: 'true' }), 422);
    expect(await siteCount()).toBe(before);
  });

  it('understands the Chinese headers and words officials use, with a UTF-8 BOM, as a multipart upload', async () => {
    const names = [name('电商服务站'), name(), name('快递驿站')];
    const text = [
      '站点名称,站点类型,区划代码,运营企业,服务快递,服务内容,日处理能力（件）,地址,纬度,经度,状态,生效日期,备注',
      csvRow([
        names[0],
        '乡镇电商服务站',
        TOWN,
        OPERATOR_CODE,
        '中通快递、圆通',
        '代购、揽收代寄、电商培训',
        '1,200',
        '测试镇府前街1号',
        37.4893,
        105.6712,
        '运营中',
        '2023/6/18',
        '项目批复 测商〔2023〕12号',
      ]),
      csvRow([
        names[1],
        '村级电商服务点',
        VILLAGES[3],
        OPERATOR_NAME,
        '中通',
        '代收派送',
        '',
        '',
        '',
        '',
        '在建',
        '2024年3月1日',
        '',
      ]),
      csvRow([
        names[2],
        'pickup_point',
        VILLAGES[4],
        OPERATOR_ID,
        'ZTO; YTO',
        'parcel_delivery',
        50,
        '',
        '',
        '',
        'planned',
        '',
        '',
      ]),
    ].join('\n');
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const result = await report(
      commerce.post('/v1/sites/imports').attach('file', file, {
        filename: '站点名单.csv',
        contentType: 'text/csv',
      }),
      201,
    );
    expect(result).toMatchObject({
      format: 'csv',
      encoding: 'utf-8 (BOM)',
      imported: 3,
      errors: [],
    });
    const rows = await dataSource.query<
      {
        name: string;
        kind: string;
        carriers: string[];
        services: string[];
        daily_capacity: number | null;
        operator_enterprise_id: string;
        status: string;
        effective_from: string;
      }[]
    >(
      `SELECT s.name, s.kind, s.carriers, s.services, s.daily_capacity, s.operator_enterprise_id,
              e.status, to_char(e.effective_from, 'YYYY-MM-DD') AS effective_from
       FROM site s JOIN site_status_entry e ON e.site_id = s.id
       WHERE s.id = ANY($1) ORDER BY s.name`,
      [result.sites.map((s) => s.id)],
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    expect(byName.get(names[0])).toMatchObject({
      kind: 'town_service_station',
      carriers: ['YTO', 'ZTO'],
      services: ['ecommerce_training', 'online_shopping_agency', 'parcel_collection'],
      daily_capacity: 1200,
      operator_enterprise_id: OPERATOR_ID,
      status: 'operating',
      effective_from: '2023-06-18',
    });
    expect(byName.get(names[1])).toMatchObject({
      kind: 'village_service_point',
      operator_enterprise_id: OPERATOR_ID,
      status: 'under_construction',
      effective_from: '2024-03-01',
    });
    expect(byName.get(names[2])).toMatchObject({ kind: 'pickup_point', status: 'planned' });
  });

  it('names the Chinese header of a bad cell, and an operator it cannot find', async () => {
    const text = [
      '站点名称,站点类型,区划代码,运营企业,日处理能力',
      csvRow([name(), '村级电商服务点', VILLAGES[0], OPERATOR_ID, '三百']),
      csvRow([name(), '村级服务中心', VILLAGES[0], '不存在的公司', 10]),
      csvRow([name(), '村级电商服务点', TOWN, OPERATOR_ID, 10]),
    ].join('\n');
    const body = await problem(postCsv(text), 422);
    expect(body.errors).toEqual([
      expect.objectContaining({ line: 2, column: '日处理能力', field: 'dailyCapacity' }),
      expect.objectContaining({ line: 3, column: '站点类型', field: 'kind' }),
      expect.objectContaining({ line: 3, column: '运营企业', field: 'operatorEnterpriseId' }),
      expect.objectContaining({ line: 4, column: '区划代码', field: 'divisionCode' }),
    ]);
    expect(body.errors?.[0].reason).toContain('"三百" is not a number');
    expect(body.errors?.[1].reason).toContain('"村级服务中心" is not a known 站点类型');
    expect(body.errors?.[1].reason).toContain('村级电商服务点');
    expect(body.errors?.[2].reason).toContain('不存在的公司');
    expect(body.errors?.[3].reason).toContain('village');
  });

  it('imports an XLSX workbook (title row, numeric codes, date cells) and reports its row numbers', async () => {
    const names = [name(), name()];
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('站点');
    sheet.addRow(['测试县村级电商服务点名单（2024年）']);
    sheet.addRow(['站点名称', '站点类型', '区划代码', '运营企业', '服务快递', '状态', '生效日期']);
    sheet.addRow([
      names[0],
      '村级电商服务点',
      Number(VILLAGES[1]),
      OPERATOR_ID,
      '中通',
      '运营',
      new Date(Date.UTC(2023, 5, 18)),
    ]);
    sheet.addRow([
      names[1],
      '村级电商服务点',
      VILLAGES[2],
      OPERATOR_CODE,
      'YTO、ZTO',
      '规划',
      '2024-01-05',
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const result = await report(
      commerce.post('/v1/sites/imports').set('content-type', XLSX).send(file),
      201,
    );
    expect(result).toMatchObject({ format: 'xlsx', rows: 2, imported: 2, errors: [] });
    expect(result.sites.map((s) => [s.line, s.name])).toEqual([
      [3, names[0]],
      [4, names[1]],
    ]);
    const [entry] = await dataSource.query<{ status: string; effective_from: string }[]>(
      `SELECT status, to_char(effective_from, 'YYYY-MM-DD') AS effective_from
       FROM site_status_entry WHERE site_id = $1`,
      [result.sites[0].id],
    );
    expect(entry).toEqual({ status: 'operating', effective_from: '2023-06-18' });

    sheet.addRow([name(), '村级电商服务点', VILLAGES[3], OPERATOR_ID, 'ZTO', '运营', '2023-02-30']);
    sheet.addRow([name(), '村级电商服务点', VILLAGES[3], OPERATOR_ID, 'XYZ', '运营', '2023-02-28']);
    const before = await siteCount();
    const bad = await problem(
      commerce
        .post('/v1/sites/imports')
        .attach('file', Buffer.from(await workbook.xlsx.writeBuffer()), '站点.xlsx'),
      422,
    );
    // Rows 3 and 4 are registered by now; row 5 has an impossible day, row 6 an unknown carrier.
    expect(bad.errors?.map((e) => [e.line, e.column])).toEqual([
      [3, '站点名称'],
      [4, '站点名称'],
      [5, '生效日期'],
      [6, '服务快递'],
    ]);
    expect(await siteCount()).toBe(before);
  });

  it('reads GBK-encoded CSV as Chinese Excel saves it', async () => {
    // 站点名称,站点类型,区划代码,运营企业 and 村级电商服务点 in GBK.
    const header = Buffer.from(
      'd5beb5e3c3fbb3c62cd5beb5e3c0e0d0cd2cc7f8bbaeb4fac2eb2cd4cbd3aac6f3d2b50a',
      'hex',
    );
    const kind = Buffer.from('b4e5bcb6b5e7c9ccb7fecef1b5e3', 'hex');
    const siteName = `GBK point ${uniqueSuffix()}`;
    const file = Buffer.concat([
      header,
      Buffer.from(`${siteName},`),
      kind,
      Buffer.from(`,${VILLAGES[4]},${OPERATOR_ID}\r\n`),
    ]);
    const result = await report(postCsv(file), 201);
    expect(result).toMatchObject({ encoding: 'gb18030', imported: 1 });
    expect(result.sites[0].name).toBe(siteName);
  });

  it('answers an empty file, a header alone, unknown and missing columns with what to fix', async () => {
    const empty = await problem(postCsv(''), 422);
    expect(empty.type).toMatch(/import-file-empty$/);
    expect(empty.detail).toContain('站点名称');

    const blank = await problem(postCsv('\r\n\r\n'), 422);
    expect(blank.type).toMatch(/import-file-empty$/);

    const headerOnly = await problem(postCsv(`${ENGLISH_HEADER}\n`), 422);
    expect(headerOnly.type).toMatch(/import-no-rows$/);

    const unknown = await problem(
      postCsv(
        `${ENGLISH_HEADER},负责人\n${csvRow([name(), 'village_service_point', VILLAGES[0], OPERATOR_ID, 'ZTO', 1, '张三'])}\n`,
      ),
      422,
    );
    expect(unknown.type).toMatch(/import-header-invalid$/);
    expect(unknown.errors).toEqual([
      expect.objectContaining({ line: 1, column: '负责人', field: null }),
    ]);
    expect(unknown.errors?.[0].reason).toContain('unknown column "负责人"');
    expect(unknown.detail).toContain('站点名称/name');

    const missing = await problem(postCsv(`站点名称,站点类型,区划代码,站点名称\nA,B,C,D\n`), 422);
    expect(missing.errors?.map((e) => [e.line, e.column, e.field])).toEqual([
      [1, '站点名称', 'name'],
      [1, '运营企业', 'operatorEnterpriseId'],
    ]);
    expect(missing.errors?.[0].reason).toContain('same column');
    expect(missing.errors?.[1].reason).toContain('required column missing');
  });

  it('reports an unclosed quote, and bounds size, rows, media type and roles', async () => {
    const quote = await problem(
      postCsv(`${ENGLISH_HEADER}\n"${name()},village_service_point\n`),
      422,
    );
    expect(quote.type).toMatch(/import-csv-unterminated-quote$/);
    expect(quote.line).toBe(2);

    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    const tooLarge = await problem(postCsv(big), 413);
    expect(tooLarge.detail).toContain('5 MB');
    const tooLargeUpload = await problem(
      commerce.post('/v1/sites/imports').attach('file', big, 'big.csv'),
      413,
    );
    expect(tooLargeUpload.detail).toContain('5 MB');

    const row = csvRow([name(), 'village_service_point', VILLAGES[0], OPERATOR_ID, '', '']);
    const many = `${ENGLISH_HEADER}\n${Array(5001).fill(row).join('\n')}\n`;
    const tooMany = await problem(postCsv(many), 422);
    expect(tooMany.type).toMatch(/import-too-many-rows$/);
    expect(tooMany.detail).toContain('5000');

    const media = await problem(commerce.post('/v1/sites/imports').send({ rows: [] }), 415);
    expect(media.detail).toContain('multipart/form-data');
    const noFile = await problem(commerce.post('/v1/sites/imports').field('other', 'x'), 400);
    expect(noFile.type).toMatch(/import-file-missing$/);

    const viewer = t.as(['viewer'], county);
    await problem(postCsv(csvWithOneBadRow().text, {}, viewer), 403);
    await problem(postCsv(csvWithOneBadRow().text, { mode: 'some' }), 400);
  });

  it('keeps officials to their region, row by row', async () => {
    const neighbour = t.as(['postal'], `${province}0102`);
    const text = [
      ENGLISH_HEADER,
      csvRow([name('电商服务站'), 'town_service_station', OTHER_TOWN, OPERATOR_ID, '', '']),
      csvRow([name(), 'village_service_point', VILLAGES[0], OPERATOR_ID, '', '']),
    ].join('\n');
    const body = await problem(postCsv(text, {}, neighbour), 422);
    expect(body.errors).toEqual([
      expect.objectContaining({ line: 3, column: 'divisionCode', field: 'divisionCode' }),
    ]);
    expect(body.errors?.[0].reason).toContain('outside your region');
    const result = await report(postCsv(text, { mode: 'valid-rows' }, neighbour), 201);
    expect(result).toMatchObject({ imported: 1, rejected: 1 });
    expect(result.sites.map((s) => s.line)).toEqual([2]);
  });

  it('compares an Idempotency-Key retry on the file itself', async () => {
    const key = `import-${uniqueSuffix()}`;
    const first = csvRow([name(), 'village_service_point', VILLAGES[1], OPERATOR_ID, '', '']);
    const text = `${ENGLISH_HEADER}\n${first}\n`;
    const created = await report(postCsv(text).set('idempotency-key', key), 201);
    const replay = await postCsv(text).set('idempotency-key', key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((replay.body as Report).sites).toEqual(created.sites);
    const other = `${ENGLISH_HEADER}\n${csvRow([name(), 'village_service_point', VILLAGES[1], OPERATOR_ID, '', ''])}\n`;
    await problem(postCsv(other).set('idempotency-key', key), 422);
  });
});
