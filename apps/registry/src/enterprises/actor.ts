import { ProblemException } from '@ecomlog/http';

/** Who makes a change: an official with a region scope (a division-code prefix). */
export interface Actor {
  subject: string;
  regionPrefix: string;
}

/** An official may only change what lies inside their region. */
export function assertActorRegion(
  actor: Actor | undefined,
  divisionCode: string,
  what: string,
): void {
  if (!actor || divisionCode.startsWith(actor.regionPrefix)) return;
  throw new ProblemException(
    403,
    'outside-region',
    'Outside your region',
    `${what} is registered in division ${divisionCode}, outside your region ${actor.regionPrefix}; only officials whose region contains it may change it.`,
  );
}
