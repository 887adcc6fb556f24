import { randomUUID } from 'node:crypto';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  type DivisionChangedV1,
  type DivisionLevel,
  type EnterpriseChangedV1,
} from '@ecomlog/contracts';

/**
 * The DivisionChanged payload registry publishes for a division at version 1, active (a village
 * counted as administrative): `overrides` win.
 */
export function divisionState(
  code: string,
  name: string,
  level: DivisionLevel,
  parentCode: string | null,
  overrides: Partial<DivisionChangedV1> = {},
): DivisionChangedV1 {
  return {
    code,
    name,
    level,
    parentCode,
    administrativeVillage: level === 'village',
    status: 'active',
    replacedBy: null,
    version: 1,
    changedAt: '2024-08-01T09:30:00+08:00',
    ...overrides,
  };
}

/**
 * A valid 统一社会信用代码 (check character computed) registered in a county (its 6-digit prefix),
 * its body numbered by `serial`: distinct serials give distinct codes. `category` is the digit after
 * the registering authority's 9 (1: enterprise, 3: farmers' cooperative).
 */
export function numberedCreditCode(countyPrefix: string, serial: number, category = '1'): string {
  const body = `MA${String(serial).padStart(6, '0')}${CREDIT_CODE_ALPHABET[serial % 31]}`;
  const first17 = `9${category}${countyPrefix}${body}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/**
 * The EnterpriseChanged payload registry publishes for an enterprise registered on 2019-04-12,
 * active since and in good standing, without shops, brands, designations or blacklisting, at
 * version 1: `overrides` win.
 */
export function enterpriseState(
  overrides: Partial<EnterpriseChangedV1> &
    Pick<EnterpriseChangedV1, 'creditCode' | 'registeredDivisionCode'>,
): EnterpriseChangedV1 {
  return {
    id: randomUUID(),
    name: '测试企业',
    kinds: ['service_contractor'],
    carrierCode: null,
    logisticsRating: null,
    registeredOn: '2019-04-12',
    status: 'active',
    statusHistory: [{ status: 'active', effectiveFrom: '2019-04-12' }],
    taxRegisteredLocally: true,
    independentLegalEntity: true,
    creditStatus: 'good',
    blacklistPeriods: [],
    designations: [],
    shops: [],
    brands: [],
    version: 1,
    changedAt: '2024-08-01T10:15:00+08:00',
    ...overrides,
  };
}
