import { historyProblem, statusOn, type DatedStatus } from './site-rules';

const history: DatedStatus[] = [
  { status: 'operating', effectiveFrom: '2023-06-01' },
  { status: 'planned', effectiveFrom: '2023-01-10' },
  { status: 'suspended', effectiveFrom: '2024-02-01' },
];

describe('site status history', () => {
  it('reads the status of a day from the latest entry on or before it', () => {
    expect(statusOn(history, '2023-01-09')).toBeNull();
    expect(statusOn(history, '2023-01-10')).toBe('planned');
    expect(statusOn(history, '2023-05-31')).toBe('planned');
    expect(statusOn(history, '2023-06-01')).toBe('operating');
    expect(statusOn(history, '2030-01-01')).toBe('suspended');
  });

  it('accepts valid sequences in any order of recording', () => {
    expect(historyProblem(history)).toBeNull();
    expect(
      historyProblem([...history, { status: 'under_construction', effectiveFrom: '2023-03-01' }]),
    ).toBeNull();
  });

  it('names the entries of an impossible sequence', () => {
    expect(historyProblem([...history, { status: 'closed', effectiveFrom: '2023-03-01' }])).toBe(
      'operating from 2023-06-01 cannot follow closed from 2023-03-01 (closed is final)',
    );
    expect(historyProblem([...history, { status: 'planned', effectiveFrom: '2024-03-01' }])).toBe(
      'planned from 2024-03-01 cannot follow suspended from 2024-02-01 (after suspended only operating, closed may follow)',
    );
    expect(historyProblem([{ status: 'closed', effectiveFrom: '2023-01-01' }])).toContain(
      'would start with closed',
    );
    expect(
      historyProblem([...history, { status: 'closed', effectiveFrom: '2023-06-01' }]),
    ).toContain('two entries on 2023-06-01');
    expect(
      historyProblem([...history, { status: 'operating', effectiveFrom: '2023-07-01' }]),
    ).toContain('operating from 2023-07-01 cannot follow operating from 2023-06-01');
  });
});
