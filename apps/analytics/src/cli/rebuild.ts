/**
 * Rebuilds every analytics aggregate from the topics: drops the derived tables and stored offsets,
 * then replays every consumed topic from offset 0 until the consumers have caught up with the end
 * of their topics, and publishes the cells whose value differs from the last published one. Stop
 * the analytics service first.
 *
 *   npm run analytics:rebuild
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { validateEnv } from '@ecomlog/config';
import { AppModule } from '../app.module';
import { AnalyticsEnv } from '../config';
import { IndicatorPublisher } from '../publishing/indicator-publisher.service';
import { ConsumerLag } from '../query/consumer-lag';
import { resetDerivedState } from '../rebuild/rebuild';

async function main(): Promise<void> {
  const base = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const quiet = validateEnv(AnalyticsEnv, { ...base, CONSUMERS_ENABLED: 'false' });
  const resetContext = await NestFactory.createApplicationContext(AppModule.register(quiet), {
    logger: ['error', 'warn'],
  });
  await resetDerivedState(resetContext.get(DataSource), quiet.CONSUMER_GROUP_PREFIX);
  await resetContext.close();
  console.log('aggregates and offsets dropped; replaying every topic from offset 0');

  const started = Date.now();
  // The publisher stays off during the replay, so subscribers never see the half-rebuilt values;
  // one publication at the end sends only the cells whose value really differs.
  const env = validateEnv(AnalyticsEnv, {
    ...base,
    CONSUMERS_ENABLED: 'true',
    INDICATOR_PUBLISH_INTERVAL_MS: '0',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(env), {
    logger: ['error', 'warn'],
  });
  try {
    const lag = app.get(ConsumerLag);
    for (;;) {
      const report = await lag.report();
      if (report.totalLag === 0) break;
      console.log(`behind by ${report.totalLag} messages`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const published = await app.get(IndicatorPublisher).publishPending();
    console.log(
      `rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s; ${published} cells differed from their last published value and were republished`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
