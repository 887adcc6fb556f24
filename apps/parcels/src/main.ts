import 'reflect-metadata';
import { runService } from '@ecomlog/platform';
import { AppModule } from './app.module';

runService(AppModule, {
  title: 'Parcels service',
  description:
    'Courier scans normalised into one parcel lifecycle; platform orders linked by waybill.',
  // POST /v1/scans carries up to 1,000 scans.
  bodyLimit: '4mb',
});
