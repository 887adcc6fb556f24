import { shanghaiDay } from '@ecomlog/kernel';
import { ProblemException } from './problem';

/**
 * 422 date-in-future unless `day` (YYYY-MM-DD) is `today` (Asia/Shanghai unless given) or
 * earlier. `advice` ends the detail: what the caller should do instead.
 */
export function assertNotInFuture(
  field: string,
  day: string,
  advice?: string,
  today: string = shanghaiDay(),
): void {
  if (day <= today) return;
  throw new ProblemException(
    422,
    'date-in-future',
    'Date in the future',
    `${field} ${day} is after today (${today}, Asia/Shanghai)${advice ? `; ${advice}` : ''}.`,
  );
}
