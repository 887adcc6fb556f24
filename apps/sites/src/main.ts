import 'reflect-metadata';
import { validateEnv } from '@ecomlog/config';
import { bootstrapService } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { SitesEnv } from './config';

async function main(): Promise<void> {
  const env = validateEnv(SitesEnv);
  await bootstrapService(AppModule.register(env), env, {
    title: 'Sites service',
    description:
      'The three-tier service network and logistics facilities, with dated status history.',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
