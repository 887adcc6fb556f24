import type { ParcelStatus } from '@ecomlog/contracts';
import { seededRandom } from '@ecomlog/testing';
import { distinctScans, parcelState, type ScanFact } from './parcel-state';

let serial = 0;
function scan(status: ParcelStatus, occurredAt: string, extra: Partial<ScanFact> = {}): ScanFact {
  serial += 1;
  return {
    scanId: `s${String(serial).padStart(3, '0')}`,
    carrier: 'ZTO',
    waybillNo: '73100000001',
    status,
    occurredAt,
    ...extra,
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const ORIGIN = '330782000000';
const DEST = '640521100201';
const SITE = '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35';
const OPERATOR = '3f9a1c7e-2b4d-4e6f-8a0c-5d7e9f1b3a24';

describe('parcelState', () => {
  it('is null without scans', () => {
    expect(parcelState([])).toBeNull();
  });

  it('follows the lifecycle and collects the facts', () => {
    const state = parcelState([
      scan('created', '2024-07-30T10:00:00+08:00', { origin: ORIGIN, destination: DEST }),
      scan('picked_up', '2024-07-30T17:05:00+08:00'),
      scan('at_hub', '2024-07-31T02:00:00+08:00', { siteId: SITE }),
      scan('in_transit', '2024-07-31T03:00:00+08:00'),
      scan('out_for_delivery', '2024-08-02T08:15:00+08:00', { handoverTo: OPERATOR }),
      scan('delivered', '2024-08-02T15:40:00+08:00'),
    ]);
    expect(state).toEqual({
      status: 'delivered',
      statusAt: '2024-08-02T15:40:00+08:00',
      pickedUpAt: '2024-07-30T17:05:00+08:00',
      deliveredAt: '2024-08-02T15:40:00+08:00',
      originDivisionCode: ORIGIN,
      destinationDivisionCode: DEST,
      jointlyDistributed: true,
      siteId: SITE,
      scanCount: 6,
    });
  });

  it('places late scans by event time, comparing instants across offsets', () => {
    const state = parcelState([
      scan('out_for_delivery', '2024-08-02T00:15:00Z'), // 08:15 +08:00
      scan('at_hub', '2024-08-02T07:00:00+08:00'), // late, earlier in event time
    ]);
    expect(state?.status).toBe('out_for_delivery');
    expect(state?.statusAt).toBe('2024-08-02T00:15:00Z');
  });

  it('breaks ties at one instant by rank', () => {
    const at = '2024-08-02T08:00:00+08:00';
    expect(parcelState([scan('delivered', at), scan('out_for_delivery', at)])?.status).toBe(
      'delivered',
    );
    expect(parcelState([scan('at_hub', at), scan('in_transit', at)])?.status).toBe('at_hub');
  });

  it('ignores duplicates by scan id and by status at the same instant', () => {
    const first = scan('picked_up', '2024-07-30T17:05:00+08:00');
    const state = parcelState([
      first,
      { ...first },
      { ...first, scanId: 'zz-other-id', occurredAt: '2024-07-30T09:05:00Z' }, // same instant
      { ...first, occurredAt: '2024-07-31T17:05:00+08:00', status: 'in_transit' }, // same id
    ]);
    expect(state?.scanCount).toBe(1);
    expect(state?.status).toBe('picked_up');
  });

  it('keeps delivered terminal unless returned, and returned terminal', () => {
    expect(
      parcelState([
        scan('delivered', '2024-08-02T15:40:00+08:00'),
        scan('exception', '2024-08-02T16:00:00+08:00'),
        scan('out_for_delivery', '2024-08-02T17:00:00+08:00'),
      ]),
    ).toMatchObject({ status: 'delivered', deliveredAt: '2024-08-02T15:40:00+08:00' });
    expect(
      parcelState([
        scan('delivered', '2024-08-02T15:40:00+08:00'),
        scan('returned', '2024-08-03T09:00:00+08:00'),
        scan('in_transit', '2024-08-03T19:00:00+08:00'),
      ]),
    ).toMatchObject({
      status: 'returned',
      deliveredAt: null,
      statusAt: '2024-08-03T09:00:00+08:00',
    });
  });

  it('lets the next lifecycle scan move a parcel out of exception', () => {
    const scans = [
      scan('at_hub', '2024-08-01T10:00:00+08:00'),
      scan('exception', '2024-08-01T12:00:00+08:00'),
    ];
    expect(parcelState(scans)?.status).toBe('exception');
    expect(
      parcelState([...scans, scan('out_for_delivery', '2024-08-02T08:00:00+08:00')])?.status,
    ).toBe('out_for_delivery');
  });

  it('keeps the first origin and the latest destination', () => {
    expect(
      parcelState([
        scan('picked_up', '2024-08-01T10:00:00+08:00', { origin: ORIGIN, destination: DEST }),
        scan('at_hub', '2024-08-01T12:00:00+08:00', { origin: DEST, destination: ORIGIN }),
      ]),
    ).toMatchObject({ originDivisionCode: ORIGIN, destinationDivisionCode: ORIGIN });
  });

  it('gives the same state for any order and any repetition of the same scans', () => {
    const random = seededRandom(20240802);
    const statuses: ParcelStatus[] = [
      'created',
      'picked_up',
      'in_transit',
      'at_hub',
      'out_for_delivery',
      'at_pickup_point',
      'delivered',
      'exception',
      'returned',
    ];
    for (let round = 0; round < 200; round += 1) {
      // A random history: few distinct minutes so that ties and same-instant duplicates happen.
      const base: ScanFact[] = Array.from({ length: 2 + Math.floor(random() * 10) }, (_, i) => {
        const minute = String(Math.floor(random() * 6)).padStart(2, '0');
        const offset = random() < 0.5;
        return {
          scanId: `r${round}-${i % 7}`, // repeated ids with different content
          carrier: 'SF',
          waybillNo: `SF${round}`,
          status: statuses[Math.floor(random() * statuses.length)],
          occurredAt: offset ? `2024-08-02T08:${minute}:00+08:00` : `2024-08-02T00:${minute}:00Z`,
          siteId: random() < 0.3 ? SITE : null,
          origin: random() < 0.3 ? ORIGIN : null,
          destination: random() < 0.3 ? DEST : null,
          handoverTo: random() < 0.1 ? OPERATOR : null,
        };
      });
      const withDuplicates = [...base, ...base.filter(() => random() < 0.4).map((s) => ({ ...s }))];
      const expected = parcelState(withDuplicates);
      for (let trial = 0; trial < 50; trial += 1) {
        const shuffled = shuffle(withDuplicates, random);
        expect(parcelState(shuffled)).toEqual(expected);
        expect(distinctScans(shuffled)).toEqual(distinctScans(withDuplicates));
      }
    }
  });
});
