import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { validateEnv } from '@ecomlog/config';
import { correlationMiddleware } from '@ecomlog/http';
import { NestPinoLogger, createLogger, type AppLogger } from '@ecomlog/observability';
import { exitGracefullyOnSignals } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { DashboardEnv } from './config';
import { serviceProxy } from './proxy/service-proxy';
import { resolveStaticDir, staticFiles } from './static/static-files';

/**
 * Express middleware in front of the Nest routes: correlation ids, the service proxy and the page
 * (also applied by the integration tests to their app).
 */
export function configureDashboard(app: NestExpressApplication, env: DashboardEnv): void {
  app.use(correlationMiddleware);
  app.use(serviceProxy(env.serviceUrls, env.PROXY_TIMEOUT_MS));
  app.use(staticFiles(resolveStaticDir(env.DASHBOARD_STATIC_DIR)));
}

async function createDashboard(
  env: DashboardEnv,
  logger: AppLogger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(env, logger), {
    logger: new NestPinoLogger(logger),
    // Bodies are streamed to the services untouched; the dashboard's own routes take none.
    bodyParser: false,
  });
  configureDashboard(app, env);
  return app;
}

async function main(): Promise<void> {
  const env = validateEnv(DashboardEnv);
  const logger = createLogger(env.SERVICE_NAME, env.LOG_LEVEL);
  const app = await createDashboard(env, logger);
  exitGracefullyOnSignals(app, logger);
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  logger.info({ url: await app.getUrl() }, 'dashboard listening');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
