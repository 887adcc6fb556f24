import type { NextFunction, Request, Response } from 'express';
import { currentCorrelationId } from '@ecomlog/observability';
import { PROBLEM_CONTENT_TYPE } from './problem';

interface RouteLayer {
  route?: { path?: string; methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

/**
 * The methods the application's routes answer on this request's path (express' own router
 * table), HEAD wherever GET is; empty when no route has this path at all. A fixed path wins over
 * a templated one, as in OpenAPI: `/v1/divisions/imports` is the imports resource, not a division
 * code "imports" that `/v1/divisions/:code` would also match. Only for requests no route took.
 */
export function allowedMethodsFor(request: Request): string[] {
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
  return [...methods].sort();
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

/** Fixed route paths (lower-case, no trailing slash, as express matches them) → methods. */
type FixedRoutes = Map<string, string[]>;

function fixedRoutesOf(request: Request): FixedRoutes {
  const app = request.app as { router?: { stack?: RouteLayer[] } } | undefined;
  const routes: FixedRoutes = new Map();
  for (const layer of app?.router?.stack ?? []) {
    const path = layer.route?.path;
    if (!path || /[:*]/.test(path) || !layer.route?.methods) continue;
    const key = normalisedPath(path);
    const methods = new Set(routes.get(key));
    for (const [method, handled] of Object.entries(layer.route.methods)) {
      if (handled && method !== '_all') methods.add(method.toUpperCase());
    }
    if (methods.has('GET')) methods.add('HEAD');
    routes.set(key, [...methods].sort());
  }
  return routes;
}

function normalisedPath(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/**
 * Answers 405 before routing when a fixed path does not take the method, which express would
 * otherwise hand to a templated route of the same shape (`PUT /v1/divisions/imports` to
 * `PUT /v1/divisions/:code`). Other unmatched methods reach the problem filter's 405. On every
 * request, so it is one map lookup: the fixed paths are read from the router once, at the first
 * request (the routes are all registered by then). Register before the routes.
 */
export function methodNotAllowedOnFixedPaths(): (
  request: Request,
  response: Response,
  next: NextFunction,
) => void {
  let fixed: FixedRoutes | undefined;
  return (request, response, next) => {
    fixed ??= fixedRoutesOf(request);
    const methods = fixed.get(normalisedPath(request.path));
    if (!methods || methods.includes(request.method.toUpperCase())) {
      next();
      return;
    }
    response
      .status(405)
      .setHeader('Allow', methods.join(', '))
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(methodNotAllowedProblem(request, methods)));
  };
}
