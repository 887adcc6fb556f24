/**
 * Creates an administrator with a generated password, printed once. There is no default account.
 *
 *   node dist/apps/registry/src/cli/create-admin.js <username> [regionPrefix] [display name]
 *   npm run registry:create-admin -- admin 640521
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { validateEnv } from '@ecomlog/config';
import { AppModule } from '../app.module';
import { RegistryEnv } from '../config';
import { IdentityService } from '../identity/identity.service';

async function main(): Promise<void> {
  const [username, regionPrefix = '', ...name] = process.argv.slice(2);
  if (!username) {
    console.error('usage: create-admin <username> [regionPrefix] [display name]');
    process.exit(2);
  }
  const env = validateEnv(RegistryEnv, {
    ...process.env,
    CONSUMERS_ENABLED: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(env), {
    logger: ['error', 'warn'],
  });
  try {
    const { official, initialPassword } = await app.get(IdentityService).createOfficial(null, {
      username,
      displayName: name.join(' ') || username,
      roles: ['admin'],
      regionPrefix,
    });
    console.log(
      `administrator ${official.username} created (region ${official.regionPrefix || 'nationwide'})`,
    );
    console.log(`password: ${initialPassword}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
