import type { NextFunction, Request, Response } from 'express';
import { currentCorrelationId } from '@ecomlog/observability';
import { PROBLEM_CONTENT_TYPE } from './problem';

interface RouteLayer {
  route?: { path?: string; methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

interface RouteMethods {
  /** GET, POST, …, HEAD wherever GET is. */
  methods: string[];
  /** Whether a route without parameters matched (then only such routes count). */
  fixed: boolean;
}

/**
 * The methods the application's routes answer on this request's path (express' own router
 * table). A fixed path wins over a templated one, as in OpenAPI: `/v1/divisions/imports` is the
 * imports resource, not a division code "imports" that `/v1/divisions/:code` would also match.
 */
function routeMethodsFor(request: Request): RouteMethods {
  const app = request.app as { router?: { stack?: RouteLayer[] } } | undefined;
  const fixed = new Set<string>();
  const templated = new Set<string>();
  for (const layer of app?.router?.stack ?? []) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    if (!layer.match(request.path)) continue;
    const into = /[:*]/.test(layer.route.path ?? ':') ? templated : fixed;
    for (const [method, handled] of Object.entries(layer.route.methods)) {
      if (handled && method !== '_all') into.add(method.toUpperCase());
    }
  }
  const methods = fixed.size > 0 ? fixed : templated;
  if (methods.has('GET')) methods.add('HEAD');
  return { methods: [...methods].sort(), fixed: fixed.size > 0 };
}

/** The methods answered on this request's path; empty when no route has this path at all. */
export function allowedMethodsFor(request: Request): string[] {
  return routeMethodsFor(request).methods;
}

/** The 405 problem for a method the path does not answer, with its Allow header. */
export function methodNotAllowedProblem(request: Request, allowed: string[]) {
  return {
    type: 'about:blank',
    title: 'Method not allowed',
    status: 405,
    detail: `${request.method} is not allowed on ${request.path}; it answers ${allowed.join(', ')}.`,
    instance: request.originalUrl,
    correlationId: currentCorrelationId(),
  };
}

/**
 * Answers 405 before routing when a fixed path does not take the method, which express would
 * otherwise hand to a templated route of the same shape (`PUT /v1/divisions/imports` to
 * `PUT /v1/divisions/:code`). Other unmatched methods reach the problem filter's 405. Register
 * before the routes.
 */
export function methodNotAllowedOnFixedPaths(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const { methods, fixed } = routeMethodsFor(request);
  if (!fixed || methods.includes(request.method.toUpperCase())) {
    next();
    return;
  }
  response
    .status(405)
    .setHeader('Allow', methods.join(', '))
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(methodNotAllowedProblem(request, methods)));
}
