import 'reflect-metadata';
import { validateEnv } from '@ecomlog/config';
import { bootstrapService } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { ParcelsEnv } from './config';

async function main(): Promise<void> {
  const env = validateEnv(ParcelsEnv);
  await bootstrapService(AppModule.register(env), env, {
    title: 'Parcels service',
    description:
      'Courier scans normalised into one parcel lifecycle; platform orders linked by waybill.',
    // POST /v1/scans carries up to 1,000 scans.
    bodyLimit: '4mb',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
