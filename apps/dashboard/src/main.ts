import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { validateEnv } from '@ecomlog/config';
import { correlationMiddleware } from '@ecomlog/http';
import { NestPinoLogger, createLogger, type AppLogger } from '@ecomlog/observability';
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

/**
 * SIGTERM/SIGINT: close the live streams, leave the consumer group, close HTTP, exit 0 (as the
 * services do, so an orchestrator can tell a stop from a crash). Open SSE responses would keep
 * the server from closing, so they are ended first by closing all connections.
 */
function exitGracefullyOnSignals(app: NestExpressApplication, logger: AppLogger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'graceful shutdown started');
    setTimeout(() => {
      logger.error('graceful shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30000).unref();
    const server = app.getHttpServer() as { closeAllConnections?: () => void };
    server.closeAllConnections?.();
    app
      .close()
      .then(() => {
        logger.info('graceful shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'graceful shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
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
