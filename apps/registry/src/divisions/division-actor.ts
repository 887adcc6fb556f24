import { ProblemException } from '@ecomlog/http';

/**
 * Who makes a change: the authenticated official. Structurally a subset of the auth library's
 * `Principal`, so a principal can be passed as it is. Without one (the CLI, or before the auth
 * guard is wired) nothing is restricted and history records no author.
 */
export interface DivisionActor {
  /** Recorded as `changed_by` in the division history. */
  readonly subject?: string;
  /** Division-code prefix the official may change; '' or absent means nationwide. */
  readonly regionPrefix?: string;
}

/** Refuses a change of a division outside the actor's region (403 problem naming both). */
export function assertActorRegion(actor: DivisionActor | undefined, code: string): void {
  const region = actor?.regionPrefix ?? '';
  if (region === '' || code.startsWith(region)) return;
  throw new ProblemException(
    403,
    'outside-region',
    'Outside your region',
    `Division ${code} lies outside your region (codes starting with ${region}).`,
  );
}

/** Reads the principal an auth guard has put on the request, if any, as an actor. */
export function actorOfRequest(request: unknown): DivisionActor | undefined {
  if (typeof request !== 'object' || request === null || !('principal' in request)) {
    return undefined;
  }
  const principal: unknown = request.principal;
  if (typeof principal !== 'object' || principal === null) return undefined;
  const subject = 'subject' in principal ? principal.subject : undefined;
  const regionPrefix = 'regionPrefix' in principal ? principal.regionPrefix : undefined;
  return {
    subject: typeof subject === 'string' ? subject : undefined,
    regionPrefix: typeof regionPrefix === 'string' ? regionPrefix : undefined,
  };
}
