import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import express, { type Router } from 'express';

/**
 * Where the browser code lives. The build (swc) compiles TypeScript into dist/ and copies nothing
 * else, so the page is always served from apps/dashboard/public as written: first the configured
 * folder, then the checkout the process runs from, then the folder beside this source file.
 */
export function resolveStaticDir(configured: string): string {
  const candidates = configured
    ? [resolve(configured)]
    : [resolve(process.cwd(), 'apps/dashboard/public'), resolve(__dirname, '../../public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new Error(
      `The dashboard page (index.html) was not found in ${candidates.join(' or ')}; run from the repository root or set DASHBOARD_STATIC_DIR.`,
    );
  }
  return found;
}

/** Folder of Apache ECharts' browser build, served at /vendor/ (no bundler, no CDN). */
export function echartsDistDir(): string {
  return dirname(require.resolve('echarts/dist/echarts.min.js'));
}

/** The page, its modules and styles, and ECharts at /vendor/echarts.min.js. */
export function staticFiles(staticDir: string): Router {
  const router = express.Router();
  router.use(
    '/vendor',
    express.static(echartsDistDir(), { index: false, maxAge: '1d', fallthrough: false }),
  );
  // The page changes with every deploy; no long caching of our own files.
  router.use(express.static(staticDir, { index: 'index.html', maxAge: 0 }));
  return router;
}
