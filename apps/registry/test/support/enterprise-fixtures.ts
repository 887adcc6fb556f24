import type request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  type EnterpriseChangedV1,
} from '@ecomlog/contracts';
import type { HttpAgent } from './registry-test-app';

export interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export interface OutboxRow {
  topic: string;
  message_key: string;
  event_type: string;
  payload: EnterpriseChangedV1;
  headers: Record<string, string>;
}

/**
 * Division codes of our own under a province prefix no real division uses (90–99): the division
 * and enterprise topics are shared with other runs and with the local stack's services. Credit
 * codes are fresh and valid (check character computed), registered in the region's county.
 */
export function testRegion() {
  const province = `9${Math.floor(Math.random() * 10)}`;
  const city = `${province}01`;
  const county = `${city}01`;
  const codes = {
    city,
    county,
    PROVINCE: `${province}0000000000`,
    CITY: `${city}00000000`,
    COUNTY: `${county}000000`,
    TOWN: `${county}101000`,
    OTHER_TOWN: `${county}102000`,
  };
  let serial = 0;
  const creditCode = (category = '1'): string => {
    serial += 1;
    const body = `MA${String(serial).padStart(6, '0')}${CREDIT_CODE_ALPHABET[serial % 31]}`;
    const first17 = `9${category}${county}${body}`;
    return `${first17}${creditCodeCheckCharacter(first17)}`;
  };
  return {
    ...codes,
    /** How many credit codes have been made so far. */
    serial: () => serial,
    creditCode,
    /** A valid registration of an e-commerce retailer in the region's first town. */
    retailer: (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      creditCode: creditCode(),
      name: '中宁县枸杞电子商务有限公司',
      kinds: ['ecommerce_retailer'],
      registeredDivisionCode: codes.TOWN,
      registeredOn: '2019-04-12',
      taxRegisteredLocally: true,
      independentLegalEntity: true,
      ...overrides,
    }),
    /** Creates the province, city, county and both towns, then `more` ([code, name] pairs). */
    seed: async (api: HttpAgent, more: [string, string][] = []): Promise<void> => {
      for (const [code, name] of [
        [codes.PROVINCE, '测试省'],
        [codes.CITY, '测试市'],
        [codes.COUNTY, '测试县'],
        [codes.TOWN, '测试镇'],
        [codes.OTHER_TOWN, '另一镇'],
        ...more,
      ]) {
        await api.put(`/v1/divisions/${code}`).send({ name }).expect(201);
      }
    },
  };
}

export async function createEnterprise(
  api: HttpAgent,
  body: Record<string, unknown>,
): Promise<EnterpriseChangedV1> {
  const response = await api.post('/v1/enterprises').send(body);
  expect(response.status).toBe(201);
  return response.body as EnterpriseChangedV1;
}

/** Awaits the request and expects a problem+json answer with this status. */
export async function problem(test: request.Test, status: number): Promise<Problem> {
  const response = await test;
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
  expect(response.get('content-type')).toMatch(/application\/problem\+json/);
  return response.body as Problem;
}

/** The outbox rows written under a message key, oldest first. */
export async function outboxRows(dataSource: DataSource, key: string): Promise<OutboxRow[]> {
  return dataSource.query<OutboxRow[]>(
    `SELECT topic, message_key, event_type, payload, headers FROM outbox_event
     WHERE message_key = $1 ORDER BY sequence`,
    [key],
  );
}
