import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem';

/**
 * The refusals every service has, each with its status, problem type and title decided once
 * here: services throw `new NotFound('enterprise', id)` or `new Conflict(…)` instead of building
 * a ProblemException by hand, and the problem filter answers them as problem+json like any other
 * ProblemException (so callers inside a service still see `problemType` and `status`).
 * ProblemException stays for the problems that fit none of these.
 */
export interface DomainErrorOptions {
  /** The detail, when the default wording does not fit. */
  detail?: string;
  /** The title, when the default does not fit (e.g. "Division not known"). */
  title?: string;
  /** The problem type slug, when the default does not fit. */
  type?: string;
  /** Extension members of the problem document. */
  extensions?: Record<string, unknown>;
}

/** 404: no such thing (or none the caller may see). */
export class NotFound extends ProblemException {
  /**
   * `entity` names the kind in words ("enterprise", "funding source"): the type is
   * `enterprise-not-found`, the title "Enterprise not found", the detail "No enterprise with id …".
   */
  constructor(
    readonly entity: string,
    readonly id: string,
    options: DomainErrorOptions = {},
  ) {
    super(
      HttpStatus.NOT_FOUND,
      options.type ?? `${entity.trim().replace(/\s+/g, '-').toLowerCase()}-not-found`,
      options.title ?? `${entity.charAt(0).toUpperCase()}${entity.slice(1)} not found`,
      options.detail ?? `No ${entity} with id ${id}.`,
      options.extensions,
    );
  }
}

/** 409: the change collides with what exists (a duplicate, a decision already taken, …). */
export class Conflict extends ProblemException {
  constructor(type: string, title: string, detail: string, extensions?: Record<string, unknown>) {
    super(HttpStatus.CONFLICT, type, title, detail, extensions);
  }
}

/** 422: the request is well formed, but the state of things or a domain rule refuses it. */
export class InvalidState extends ProblemException {
  constructor(type: string, title: string, detail: string, extensions?: Record<string, unknown>) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, type, title, detail, extensions);
  }
}

/** 403 outside-region: an official reaching beyond their region (thrown by libs/auth's checks). */
export class OutsideRegion extends ProblemException {
  static readonly TYPE = 'outside-region';
  static readonly TITLE = 'Outside your region';

  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(HttpStatus.FORBIDDEN, OutsideRegion.TYPE, OutsideRegion.TITLE, detail, extensions);
  }
}

/** 403 for a rule about who may act (four eyes, a role the caller lacks), not about region. */
export class NotPermitted extends ProblemException {
  constructor(type: string, title: string, detail: string, extensions?: Record<string, unknown>) {
    super(HttpStatus.FORBIDDEN, type, title, detail, extensions);
  }
}
