import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { urlencoded, type NextFunction, type Request, type Response } from 'express';
import type { ServiceEnv } from '@ecomlog/config';
import { correlationMiddleware, jsonBody, methodNotAllowedOnFixedPaths } from '@ecomlog/http';
import { NestPinoLogger, createLogger, type AppLogger } from '@ecomlog/observability';
import { declareProblemResponses } from './openapi/problem-responses';
import { closeRequestSchemas } from './openapi/request-schemas';
import { describeValidatedClasses } from './openapi/validation-schema';

export interface ServiceDescription {
  title: string;
  description: string;
  /** Largest accepted JSON body; batch endpoints need more than the default. */
  bodyLimit?: string;
}

/** Applies the platform's HTTP conventions to an application (also used by integration tests). */
export function configureHttp(app: NestExpressApplication, description: ServiceDescription): void {
  app.use(correlationMiddleware);
  app.use(methodNotAllowedOnFixedPaths());
  app.use(...jsonBody(description.bodyLimit ?? '1mb'));
  // OAuth2 token requests arrive form-encoded (RFC 6749 §4.4.2): the one route that takes a form.
  // Everywhere else a form body stays unread and the MediaTypeGuard answers 415.
  app.use('/v1/oauth/token', urlencoded({ extended: false, limit: '16kb' }));
  // The document says what the validation says (same classes) and every problem a route can answer.
  describeValidatedClasses();
  const document = closeRequestSchemas(
    declareProblemResponses(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle(description.title)
          .setDescription(description.description)
          .setVersion('1')
          .addBearerAuth()
          .build(),
      ),
    ),
  );
  // `curl -H 'Accept: application/json' /docs` gets the document itself; a browser gets the UI.
  app.use('/docs', (request: Request, response: Response, next: NextFunction) => {
    if (
      request.path === '/' &&
      request.accepts(['text/html', 'application/json']) === 'application/json' &&
      !request.accepts('text/html')
    ) {
      response.json(document);
      return;
    }
    next();
  });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    customSiteTitle: description.title,
  });
}

/** Starts a service: HTTP on HTTP_HOST:HTTP_PORT, consumers and the outbox relay. */
export async function bootstrapService(
  module: unknown,
  env: ServiceEnv,
  description: ServiceDescription,
): Promise<NestExpressApplication> {
  const logger = createLogger(env.SERVICE_NAME, env.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  configureHttp(app, description);
  exitGracefullyOnSignals(app, logger);
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  logger.info({ url: await app.getUrl() }, `${env.SERVICE_NAME} listening`);
  return app;
}

/**
 * SIGTERM/SIGINT: stop consuming (the chunk in hand commits), flush the outbox, end open
 * connections, close HTTP and the pools, then exit 0. Nest's own shutdown hooks would re-raise the signal instead, which an
 * orchestrator cannot tell from a crash. A stuck shutdown is cut short after 30 s.
 */
export function exitGracefullyOnSignals(app: NestExpressApplication, logger: AppLogger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'graceful shutdown started');
    setTimeout(() => {
      logger.error('graceful shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30000).unref();
    // Open streams (the dashboard's Server-Sent Events) would keep the server from closing.
    (app.getHttpServer() as { closeAllConnections?: () => void }).closeAllConnections?.();
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
