import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Put,
  applyDecorators,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientKinds, Public, Roles } from './decorators';
import type { OfficialRole, PrincipalKind } from './principal';

/**
 * Every official role but admin (who may always): with `clients`, a route that any official may
 * read as well as those machine clients (naming `clients` alone closes a route to officials).
 */
export const ANY_OFFICIAL: OfficialRole[] = ['commerce', 'postal', 'auditor', 'viewer'];

/** Who may call a route or every route of a controller (the AuthGuard reads these marks). */
export interface RouteAccess {
  /** Officials holding any of these roles (@Roles); without it any official may read. */
  roles?: OfficialRole[];
  /** Machine clients of these kinds (@ClientKinds). */
  clients?: Exclude<PrincipalKind, 'official'>[];
  /** No token needed (@Public). */
  public?: true;
}

/** One route: who may call it, what the document says of it, and what it answers. */
export interface RouteOptions extends RouteAccess {
  /** The OpenAPI operation's summary (and, for a long story, its description). */
  summary?: string;
  description?: string;
  /** The success status where the verb's default (POST 201, else 200) is not the answer. */
  status?: HttpStatus;
  /**
   * 'required' where the route insists on an Idempotency-Key (a payment): the document then says
   * so. Every other write takes the key optionally, which libs/platform documents by itself.
   */
  idempotencyKey?: 'required';
}

type Verb = (path?: string) => MethodDecorator;
type RouteDecorator = {
  (options?: RouteOptions): MethodDecorator;
  (path: string, options?: RouteOptions): MethodDecorator;
};

function accessDecorators(access: RouteAccess): (MethodDecorator & ClassDecorator)[] {
  return [
    ...(access.public ? [Public()] : []),
    ...(access.roles ? [Roles(...access.roles)] : []),
    ...(access.clients ? [ClientKinds(...access.clients)] : []),
  ];
}

/**
 * Builds a composite route decorator: one line per handler instead of the same stack of verb,
 * @Roles, @HttpCode, @ApiOperation and header declarations. They are the same decorators as
 * before, so the guards, the router and libs/platform's declareProblemResponses read the route
 * exactly as they did.
 */
function route(verb: Verb, defaultStatus?: HttpStatus): RouteDecorator {
  return (pathOrOptions?: string | RouteOptions, maybeOptions?: RouteOptions) => {
    const path = typeof pathOrOptions === 'string' ? pathOrOptions : undefined;
    const options = (typeof pathOrOptions === 'string' ? maybeOptions : pathOrOptions) ?? {};
    const status = options.status ?? defaultStatus;
    const operation = {
      ...(options.summary !== undefined ? { summary: options.summary } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
    };
    return applyDecorators(
      verb(path),
      ...accessDecorators(options),
      ...(status !== undefined ? [HttpCode(status)] : []),
      ...(Object.keys(operation).length > 0 ? [ApiOperation(operation)] : []),
      ...(options.idempotencyKey === 'required'
        ? [ApiHeader({ name: 'Idempotency-Key', required: true })]
        : []),
    );
  };
}

/** GET. */
export const Read = route(Get);
/** POST that creates something: 201 Created. */
export const Create = route(Post);
/**
 * POST that acts on what exists (approve, retire, rotate a secret) or answers a batch per item:
 * nothing new is created, so 200 OK.
 */
export const Command = route(Post, HttpStatus.OK);
/** PATCH: a partial change. */
export const Update = route(Patch);
/** PUT: sets the whole resource at its path. */
export const Replace = route(Put);
/** DELETE. */
export const Remove = route(Delete);

/**
 * A controller whose routes need a bearer token (documented; the global AuthGuard enforces it),
 * listed under `tag` in the document; `roles`/`clients` apply to every route of it.
 */
export function BearerController(
  path: string,
  options: RouteAccess & { tag: string },
): ClassDecorator {
  return applyDecorators(
    ApiTags(options.tag),
    ApiBearerAuth(),
    ...accessDecorators(options),
    Controller(path),
  );
}
