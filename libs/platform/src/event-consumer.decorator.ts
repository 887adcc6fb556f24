import { SetMetadata } from '@nestjs/common';
import { EVENT_CONSUMER_METADATA } from './tokens';

/**
 * Put on an @Injectable() class implementing EventConsumer: the platform discovers it, runs it in
 * batches with offsets stored in the service's database, and stops it gracefully on SIGTERM.
 */
export const RunsAsEventConsumer = (): ClassDecorator => SetMetadata(EVENT_CONSUMER_METADATA, true);
