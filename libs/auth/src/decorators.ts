import {
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { OfficialRole, Principal, PrincipalKind } from './principal';

export const PUBLIC_ROUTE = 'ecomlog:auth:public';
export const REQUIRED_ROLES = 'ecomlog:auth:roles';
export const ALLOWED_CLIENT_KINDS = 'ecomlog:auth:client-kinds';

/**
 * No token needed (health, token issuance, JWKS). The OpenAPI document drops the bearer
 * requirement of such a route (libs/platform reads the `x-public` mark and removes it).
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-public', true));

/** Officials holding any of these roles; `admin` may always. Without it any official may read. */
export const Roles = (...roles: OfficialRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** Machine clients of these kinds may call the route (officials still need @Roles to). */
export const ClientKinds = (
  ...kinds: Exclude<PrincipalKind, 'official'>[]
): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_CLIENT_KINDS, kinds);

export type AuthenticatedRequest = Request & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
