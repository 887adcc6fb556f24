import { defineServiceApp } from '@ecomlog/platform';
import { ParcelsEnv } from './config';
import { PARCELS_MIGRATIONS } from './migrations';
import { ScansModule } from './scans/scans.module';
import { OrdersModule } from './orders/orders.module';
import { ReadModelsModule } from './read-models/read-models.module';

/** parcels: the scan and order doors, parcel state and tracking, on its read models. */
export const AppModule = defineServiceApp({
  envClass: ParcelsEnv,
  migrations: PARCELS_MIGRATIONS,
  imports: [ScansModule, ReadModelsModule, OrdersModule],
});
