import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from '@ecomlog/http';
import { CORRELATION_HEADER } from '@ecomlog/observability';
import { PROXIED_SERVICES, type ProxiedService } from '../config';

/** Request headers passed to the service; everything else (cookies, hop-by-hop) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'content-length',
  'accept',
  'accept-language',
  'idempotency-key',
] as const;

/** Response headers passed back to the browser. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'retry-after',
  'www-authenticate',
  'idempotent-replayed',
  'location',
] as const;

/** `/api/sites/v1/coverage/gaps?region=…` → sites + `/v1/coverage/gaps?region=…`. */
export function proxyTarget(
  path: string,
): { service: ProxiedService; upstreamPath: string } | null {
  const match = /^\/api\/([a-z]+)(\/.*)?$/.exec(path);
  if (!match) return null;
  const service = match[1] as ProxiedService;
  if (!PROXIED_SERVICES.includes(service)) return null;
  return { service, upstreamPath: match[2] ?? '/' };
}

function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

function problem(response: Response, status: number, title: string, detail: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: 'about:blank',
        title,
        status,
        detail,
        correlationId: response.getHeader(CORRELATION_HEADER),
      }),
    );
}

/**
 * Same-origin door to the services: `/api/<service>/<path>` is streamed to `<service base URL>/<path>`
 * with the caller's Authorization header, so the browser needs no CORS and the services keep
 * checking tokens, roles and region themselves. An unreachable service answers a problem saying
 * which one, in words the page can show.
 */
export function serviceProxy(
  baseUrls: Record<ProxiedService, string>,
  timeoutMs: number,
): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const target = proxyTarget(request.originalUrl.split('?')[0]);
    if (!target) {
      next();
      return;
    }
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?'))
      : '';
    const base = new URL(baseUrls[target.service]);
    const url = new URL(`${base.pathname.replace(/\/$/, '')}${target.upstreamPath}${query}`, base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      url,
      {
        method: request.method,
        headers: {
          ...pick(request.headers, FORWARDED_REQUEST_HEADERS),
          [CORRELATION_HEADER]: String(response.getHeader(CORRELATION_HEADER) ?? ''),
        },
        timeout: timeoutMs,
      },
      (answer) => {
        response.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(
          pick(answer.headers, FORWARDED_RESPONSE_HEADERS),
        ))
          response.setHeader(name, value);
        answer.pipe(response);
      },
    );
    // Only the first failure answers (a timeout is followed by the socket's own error).
    let failed = false;
    const fail = (status: number, title: string, detail: string): void => {
      if (failed) return;
      failed = true;
      problem(response, status, title, detail);
    };
    upstream.on('timeout', () => {
      fail(
        504,
        'Service did not answer',
        `The ${target.service} service did not answer within ${Math.round(timeoutMs / 1000)} s; try again shortly.`,
      );
      upstream.destroy();
    });
    upstream.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        502,
        'Service unavailable',
        `The ${target.service} service is not reachable (${error.code ?? error.message}); it may not be running yet.`,
      ),
    );
    request.pipe(upstream);
  };
}
