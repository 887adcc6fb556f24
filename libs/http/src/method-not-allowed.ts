import type { Request } from 'express';

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

/**
 * The methods the application's routes answer on this request's path (express' own router
 * table), HEAD included wherever GET is. Empty when no route has this path at all.
 */
export function allowedMethodsFor(request: Request): string[] {
  const app = request.app as { router?: { stack?: RouteLayer[] } } | undefined;
  const methods = new Set<string>();
  for (const layer of app?.router?.stack ?? []) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    if (!layer.match(request.path)) continue;
    for (const [method, handled] of Object.entries(layer.route.methods)) {
      if (handled && method !== '_all') methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
