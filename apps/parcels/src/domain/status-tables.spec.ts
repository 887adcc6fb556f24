import { PARCEL_STATUSES } from '@ecomlog/contracts';
import { CARRIER_STATUS_TABLES, KUAIDI100_STATES, normaliseStatus } from './status-tables';

describe('normaliseStatus', () => {
  it.each([
    ['ZTO', '收件', 'picked_up'],
    ['ZTO', 'got', 'picked_up'],
    ['ZTO', '到件', 'at_hub'],
    ['ZTO', '派件', 'out_for_delivery'],
    ['ZTO', '签收', 'delivered'],
    ['ZTO', '问题件', 'exception'],
    ['YTO', 'SENT_SCAN', 'out_for_delivery'],
    ['YTO', 'INBOUND', 'at_pickup_point'],
    ['YTO', 'TMS_RETURN', 'returned'],
    ['STO', '快件入柜', 'at_pickup_point'],
    ['STO', '留仓件', 'exception'],
    ['YUNDA', 'SIGN', 'delivered'],
    ['YUNDA', 'ARRIVE', 'at_hub'],
    ['SF', '50', 'picked_up'],
    ['SF', '31', 'at_hub'],
    ['SF', '44', 'out_for_delivery'],
    ['SF', '80', 'delivered'],
    ['SF', '648', 'returned'],
    ['JD', '妥投', 'delivered'],
    ['JD', '分拣中心', 'at_hub'],
    ['EMS', '203', 'picked_up'],
    ['EMS', '704', 'delivered'],
    ['EMS', '705', 'exception'],
    ['JT', '快件揽收', 'picked_up'],
    ['JT', '代理点收入扫描', 'at_pickup_point'],
    ['JT', '快件签收', 'delivered'],
  ])('%s %s → %s', (carrier, code, status) => {
    expect(normaliseStatus(carrier, code)).toEqual({ ok: true, status, via: 'carrier' });
  });

  it.each([
    ['0', 'in_transit'],
    ['1', 'picked_up'],
    ['2', 'exception'],
    ['3', 'delivered'],
    ['4', 'returned'],
    ['5', 'out_for_delivery'],
    ['6', 'returned'],
    ['7', 'in_transit'],
    ['14', 'exception'],
    ['101', 'created'],
    ['501', 'at_pickup_point'],
    ['304', 'delivered'],
  ])('快递100 state %s → %s, for any carrier', (state, status) => {
    for (const carrier of ['ZTO', 'SF', 'NEWCO']) {
      expect(normaliseStatus(carrier, `kuaidi100:${state}`)).toEqual({
        ok: true,
        status,
        via: 'kuaidi100',
      });
    }
    expect(normaliseStatus('SF', `KUAIDI100:${state}`).ok).toBe(true);
  });

  it('takes every normalised status as is, from any carrier', () => {
    for (const status of PARCEL_STATUSES) {
      expect(normaliseStatus('NEWCO', status)).toEqual({ ok: true, status, via: 'normalised' });
      expect(normaliseStatus('ZTO', ` ${status} `)).toEqual({
        ok: true,
        status,
        via: 'normalised',
      });
    }
  });

  it('maps only to lifecycle statuses, and covers every carrier asked for', () => {
    expect(Object.keys(CARRIER_STATUS_TABLES).sort()).toEqual(
      ['EMS', 'JD', 'JT', 'SF', 'STO', 'YTO', 'YUNDA', 'ZTO'].sort(),
    );
    for (const table of [...Object.values(CARRIER_STATUS_TABLES), KUAIDI100_STATES]) {
      for (const status of Object.values(table))
        expect(PARCEL_STATUSES as readonly string[]).toContain(status);
    }
    // Every table reaches pickup and delivery.
    for (const table of Object.values(CARRIER_STATUS_TABLES)) {
      expect(Object.values(table)).toEqual(expect.arrayContaining(['picked_up', 'delivered']));
    }
  });

  it('refuses unknown codes naming carrier and code', () => {
    expect(normaliseStatus('ZTO', 'XYZ')).toEqual({
      ok: false,
      reason: expect.stringContaining('carrier ZTO: unknown status code "XYZ"') as unknown,
    });
    // A 快递100 number is not an SF code unless prefixed, and SF codes are not ZTO codes.
    expect(normaliseStatus('ZTO', '80').ok).toBe(false);
    expect(normaliseStatus('NEWCO', '签收')).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^carrier NEWCO: unknown status code "签收" \(there is no status table for NEWCO/,
      ) as unknown,
    });
    expect(normaliseStatus('SF', 'kuaidi100:99')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^carrier SF: unknown 快递100 state "99"/) as unknown,
    });
    expect(normaliseStatus('SF', 'Delivered').ok).toBe(false);
  });
});
