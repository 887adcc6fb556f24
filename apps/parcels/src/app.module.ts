import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { ParcelsEnv } from './config';
import { PARCELS_MIGRATIONS } from './migrations';
import { ScansModule } from './scans/scans.module';
import { OrdersModule } from './orders/orders.module';
import { ReadModelsModule } from './read-models/read-models.module';

@Module({})
export class AppModule {
  static register(env: ParcelsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          env,
          envClass: ParcelsEnv,
          entities: [],
          migrations: PARCELS_MIGRATIONS,
        }),
        ScansModule,
        ReadModelsModule,
        OrdersModule,
      ],
    };
  }
}
