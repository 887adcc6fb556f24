import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ProblemException } from '@ecomlog/http';
import { setCurrentActor } from '@ecomlog/observability';
import {
  ALLOWED_CLIENT_KINDS,
  PUBLIC_ROUTE,
  REQUIRED_ROLES,
  type AuthenticatedRequest,
} from './decorators';
import { KeysUnavailableError } from './jwks-key-source';
import { TokenRejectedError } from './jwt';
import type { OfficialRole, Principal, PrincipalKind } from './principal';
import { noteRequestAccess } from './region';
import { TokenVerifier } from './token-verifier';

/**
 * Every route needs a valid registry-signed bearer token unless marked @Public(). Officials pass
 * when they hold a role the route asks for (admin always), or any role where the route asks for
 * none and is not a machine-client route; machine clients only where the route names their kind.
 */
/**
 * Whether a machine client was disabled in the registry after its token was issued. A service
 * that machine clients call provides it (CLIENT_STATUS) from its read model of registry.clients.v1;
 * without one, a token is good until it expires.
 */
export interface ClientStatusSource {
  isDisabled(clientId: string): Promise<boolean>;
}

export const CLIENT_STATUS = Symbol('CLIENT_STATUS');

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Optional() @Inject(CLIENT_STATUS) private readonly clientStatus?: ClientStatusSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      context
        .switchToHttp()
        .getResponse<Response>()
        .setHeader('WWW-Authenticate', 'Bearer realm="ecomlog"');
      throw new ProblemException(
        401,
        'authentication-required',
        'Authentication required',
        'Send a bearer token from POST /v1/oauth/token (machine clients) or POST /v1/auth/login (officials).',
      );
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        throw new ProblemException(
          503,
          'token-keys-unavailable',
          'Cannot verify tokens right now',
          `${error.message}; retry shortly.`,
        );
      }
      if (!(error instanceof TokenRejectedError)) throw error;
      context
        .switchToHttp()
        .getResponse<Response>()
        .setHeader('WWW-Authenticate', 'Bearer realm="ecomlog", error="invalid_token"');
      throw new ProblemException(401, 'invalid-token', 'Invalid token', `${error.message}.`);
    }
    if (
      principal.kind !== 'official' &&
      this.clientStatus &&
      (await this.clientStatus.isDisabled(principal.subject))
    ) {
      throw new ProblemException(
        401,
        'client-disabled',
        'Client disabled',
        `Client ${principal.subject} was disabled in the registry; its tokens are no longer accepted. Ask an administrator to enable it again.`,
      );
    }
    request.principal = principal;
    noteRequestAccess(principal, request.method);
    setCurrentActor({ subject: principal.subject, kind: principal.kind });

    const roles = this.reflector.getAllAndOverride<OfficialRole[] | undefined>(
      REQUIRED_ROLES,
      targets,
    );
    const kinds =
      this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(
        ALLOWED_CLIENT_KINDS,
        targets,
      ) ?? [];
    if (principal.kind === 'official') {
      const openToOfficials = !roles || roles.length === 0;
      // A route for machine clients only (e.g. scan intake) is not an official's door.
      if (openToOfficials && kinds.length > 0) {
        throw new ProblemException(
          403,
          'officials-not-allowed',
          'For machine clients only',
          `This endpoint is for ${kinds.join(' and ')} clients; officials use the read APIs.`,
        );
      }
      if (
        openToOfficials ||
        principal.roles.includes('admin') ||
        roles.some((r) => principal.roles.includes(r))
      ) {
        return true;
      }
      throw new ProblemException(
        403,
        'role-required',
        'Role required',
        `This action needs one of the roles ${roles.join(', ')}; you have ${principal.roles.join(', ') || 'none'}.`,
      );
    }
    if (kinds.includes(principal.kind)) return true;
    throw new ProblemException(
      403,
      'client-not-allowed',
      'Not allowed for this client',
      `${principal.kind} clients may not call this endpoint.`,
    );
  }
}
