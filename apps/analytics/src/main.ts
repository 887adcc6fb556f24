import 'reflect-metadata';
import { validateEnv } from '@ecomlog/config';
import { bootstrapService } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { AnalyticsEnv } from './config';

async function main(): Promise<void> {
  const env = validateEnv(AnalyticsEnv);
  await bootstrapService(AppModule.register(env), env, {
    title: 'Analytics service',
    description:
      'The indicator catalogue: live aggregates, targets, the query API and the indicator topic.',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
