import 'reflect-metadata';
import { validateEnv } from '@ecomlog/config';
import { bootstrapService } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { RegistryEnv } from './config';

async function main(): Promise<void> {
  const env = validateEnv(RegistryEnv);
  await bootstrapService(AppModule.register(env), env, {
    title: 'Registry service',
    description: 'Administrative divisions, enterprises, shops and brands, clients and officials.',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
