import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { FundsEnv } from './config';
import { FundsModule } from './funds.module';
import { FUNDS_MIGRATIONS } from './migrations';
import { ReadModelsModule } from './read-models/read-models.module';

@Module({})
export class AppModule {
  static register(env: FundsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          env,
          envClass: FundsEnv,
          entities: [],
          migrations: FUNDS_MIGRATIONS,
        }),
        ReadModelsModule,
        FundsModule,
      ],
    };
  }
}
