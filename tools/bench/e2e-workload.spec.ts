import 'reflect-metadata';
import { ScanV1, describeProblems, validateCreditCode, validatePayload } from '@ecomlog/contracts';
import { createRandom, shanghaiDay } from '../demo/generators';
import {
  benchWorld,
  dayLabel,
  finestPublished,
  orderWorkload,
  scanWorkload,
  syntheticCounty,
} from './e2e-workload';

const NOW = Date.parse('2026-11-22T10:00:00+08:00');

describe('end-to-end benchmark workload', () => {
  const rnd = createRandom(7);
  const county = syntheticCounty(rnd);
  const world = benchWorld(county, rnd);
  const scans = scanWorkload(world, county, 400, NOW, rnd);
  const orders = orderWorkload(world, 300, 'spec', NOW, rnd);
  const every = [county.county, ...county.outside, county.warmUp];

  it('uses only synthetic divisions of province 9x', () => {
    expect(county.prefix).toMatch(/^9\d{5}$/);
    expect(county.outsidePrefix).not.toBe(county.prefix.slice(0, 2));
    for (const code of every) expect(code).toMatch(/^9\d{11}$/);
    for (const scan of scans.scans) {
      const value = JSON.parse(scan.value) as ScanV1;
      for (const code of [value.origin, value.destination, value.divisionCode])
        if (code) expect(code.startsWith('9')).toBe(true);
    }
  });

  it('sends valid scans, only what has happened by now, keyed by waybill', () => {
    for (const scan of scans.scans) {
      const value = JSON.parse(scan.value) as ScanV1;
      const check = validatePayload(ScanV1, value, 'produce');
      if (!check.ok) throw new Error(describeProblems(check.problems));
      expect(scan.key).toBe(value.waybillNo);
      expect(Date.parse(value.occurredAt)).toBeLessThanOrEqual(NOW);
    }
    expect(scans.scans.length).toBeGreaterThan(scans.distinct * 1.01);
  });

  it('expects one pickup per parcel with a pickup scan, at its town and county', () => {
    const pickups = scans.scans.filter((s) => s.pickupCell);
    const waybills = new Set(pickups.map((s) => s.key));
    expect(waybills.size).toBe(pickups.length);
    const counted = [...scans.expected]
      .filter(([key]) => key.split('|')[1].endsWith('000000'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(counted).toBe(pickups.length);
    for (const scan of pickups)
      expect(scans.expected.get(scan.pickupCell ?? '')).toBeGreaterThan(0);
  });

  it('finds the finest published cell of a code', () => {
    expect(finestPublished('901234105207')).toBe('901234105000');
    expect(finestPublished('901234105000')).toBe('901234105000');
    expect(finestPublished('901234000000')).toBe('901234000000');
  });

  it('posts valid orders per platform, refunds after their order, and sums them per cell', () => {
    let paid = 0;
    let refunded = 0;
    const seen = new Set<string>();
    for (const requests of orders.requests.values()) {
      for (const request of requests) {
        expect(request.length).toBeLessThanOrEqual(1000);
        for (const order of request) {
          expect(validateCreditCode(order.sellerCreditCode).ok).toBe(true);
          // Buyers in the run's synthetic outside province or the county, never a real district.
          expect(order.buyerDivisionCode.startsWith('9')).toBe(true);
          expect(order.items.reduce((s, i) => s + i.amountFen, 0)).toBe(order.amountFen);
          if (order.revision === 1) {
            paid += order.amountFen;
            seen.add(order.orderNo);
          } else {
            expect(seen.has(order.orderNo)).toBe(true);
            refunded += order.refundedAmountFen ?? 0;
          }
        }
      }
    }
    const countyTotal = [...orders.expected]
      .filter(([key]) => key.split('|')[1] === county.county)
      .reduce((sum, [, fen]) => sum + fen, 0);
    expect(countyTotal).toBe(paid - refunded);
    expect(orders.revisions).toBe([...orders.requests.values()].flat(2).length);
    expect(dayLabel(shanghaiDay(NOW))).toBe('20261122');
  });
});
