import { validatePayload } from '../validate-payload';
import { ScanReceived, ScanV1, scanTimeProblem } from './scan.event';

describe('ScanV1', () => {
  const reference = new Date('2024-08-02T00:00:00Z');

  it('accepts times with an offset or Z, up to 15 minutes ahead', () => {
    expect(scanTimeProblem('2024-08-02T08:00:00+08:00', reference)).toBeNull();
    expect(scanTimeProblem('2024-08-02T00:15:00Z', reference)).toBeNull();
    expect(scanTimeProblem('2024-08-02T08:14:59.123+0800', reference)).toBeNull();
  });

  it('refuses times without an offset, unreal dates and the far future', () => {
    expect(scanTimeProblem('2024-08-02T08:00:00', reference)).toMatch(/with an offset/);
    expect(scanTimeProblem('2024-08-02', reference)).toMatch(/with an offset/);
    expect(scanTimeProblem(1722556800000, reference)).toMatch(/with an offset/);
    expect(scanTimeProblem('2024-02-31T08:00:00+08:00', reference)).toMatch(/not a real/);
    expect(scanTimeProblem('2024-08-02T00:15:01Z', reference)).toMatch(
      /more than 15 minutes in the future/,
    );
  });

  it('names every failing field of a bad scan', () => {
    const check = validatePayload(
      ScanV1,
      {
        ...ScanReceived.example,
        carrier: 'zto',
        waybillNo: 'x',
        occurredAt: '2024-08-02 08:00',
        weightGrams: -1,
      },
      'produce',
    );
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.problems.map((p) => p.path).sort()).toEqual([
        'carrier',
        'occurredAt',
        'waybillNo',
        'weightGrams',
      ]);
  });

  it('takes the optional fields as optional', () => {
    const check = validatePayload(
      ScanV1,
      {
        scanId: 's1',
        carrier: 'SF',
        waybillNo: 'SF1234567890',
        status: '50',
        occurredAt: '2024-08-02T08:00:00+08:00',
      },
      'consume',
    );
    expect(check.ok).toBe(true);
  });
});
