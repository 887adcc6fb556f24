import { Module } from '@nestjs/common';
import { TrackingController } from '../tracking/tracking.controller';
import { ScanIngestConsumer } from './scan-ingest.consumer';
import { ScanIntakeService } from './scan-intake.service';
import { ScansController } from './scans.controller';

/** Scan intake (Kafka and HTTP doors), the shared consumer, and the tracking view. */
@Module({
  controllers: [ScansController, TrackingController],
  providers: [ScanIntakeService, ScanIngestConsumer],
})
export class ScansModule {}
