import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { ParcelsEnv } from './config';
import { PARCELS_MIGRATIONS } from './migrations';
import { ScansModule } from './scans/scans.module';
import { SitesReadModelModule } from './sites-read-model/sites-read-model.module';
import { OrdersModule } from './orders/orders.module';
import { EnterprisesReadModelModule } from './enterprises-read-model/enterprises-read-model.module';
import { DivisionsReadModelModule } from './divisions-read-model/divisions-read-model.module';
import { ClientsReadModelModule } from './clients-read-model/clients-read-model.module';

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
        SitesReadModelModule,
        OrdersModule,
        EnterprisesReadModelModule,
        DivisionsReadModelModule,
        ClientsReadModelModule,
      ],
    };
  }
}
