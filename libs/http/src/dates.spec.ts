import { assertNotInFuture } from './dates';
import { ProblemException } from './problem';

describe('assertNotInFuture', () => {
  it('lets today and earlier days through', () => {
    expect(() => assertNotInFuture('from', '2024-07-31', undefined, '2024-07-31')).not.toThrow();
    expect(() => assertNotInFuture('from', '2023-01-01', undefined, '2024-07-31')).not.toThrow();
  });

  it('refuses a later day with the 422 date-in-future problem, advice ending the detail', () => {
    let caught: unknown;
    try {
      assertNotInFuture('heldOn', '2024-08-01', 'record it once it has happened', '2024-07-31');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProblemException);
    const problem = caught as ProblemException;
    expect(problem.getStatus()).toBe(422);
    expect(problem.message).toBe(
      'heldOn 2024-08-01 is after today (2024-07-31, Asia/Shanghai); record it once it has happened.',
    );
    expect(() => assertNotInFuture('authorisedOn', '2024-08-01', undefined, '2024-07-31')).toThrow(
      'authorisedOn 2024-08-01 is after today (2024-07-31, Asia/Shanghai).',
    );
  });
});
