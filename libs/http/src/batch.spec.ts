import { checkBatchSize } from './batch';
import { ProblemException } from './problem';

function problemOf(run: () => void): ProblemException {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('no problem thrown');
}

describe('checkBatchSize', () => {
  it('takes a batch of one up to the limit', () => {
    expect(() => checkBatchSize([1], 2, 'scan')).not.toThrow();
    expect(() => checkBatchSize([1, 2], 2, 'scan')).not.toThrow();
  });

  it('refuses an empty batch: 422 no-<items>', () => {
    const problem = problemOf(() => checkBatchSize([], 2, 'order'));
    expect([problem.getStatus(), problem.problemType, problem.title, problem.message]).toEqual([
      422,
      'no-orders',
      'No orders',
      'orders must hold at least one order.',
    ]);
  });

  it('refuses a batch beyond the limit: 413 too-many-<items> with limit and count', () => {
    const problem = problemOf(() => checkBatchSize([1, 2, 3], 2, 'scan'));
    expect([problem.getStatus(), problem.problemType, problem.title, problem.message]).toEqual([
      413,
      'too-many-scans',
      'Too many scans',
      'A request carries at most 2 scans (this one has 3); split it.',
    ]);
    expect(problem.extensions).toEqual({ limit: 2, received: 3 });
  });
});
