import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from './problem';

function hasBody(request: Request): boolean {
  const length = request.header('content-length');
  return request.header('transfer-encoding') !== undefined || Number(length ?? 0) > 0;
}

/**
 * 415 for a request whose body nobody could read: the JSON parser (and a route's own parser, such
 * as an upload middleware) consume the bodies they understand, so a body still unread when the
 * route is reached has a Content-Type this endpoint does not take (e.g. text/plain on a JSON
 * route). Without this the handler would see no body and answer a misleading 400.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!hasBody(request) || request.readableEnded) return true;
    throw new ProblemException(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `This endpoint takes a JSON body (Content-Type: application/json); got ${request.header('content-type') ?? 'no Content-Type'}.`,
    );
  }
}
