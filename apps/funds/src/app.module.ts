import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { FundsEnv } from './config';

@Module({})
export class AppModule {
  static register(env: FundsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ env, envClass: FundsEnv, entities: [], migrations: [] }),
      ],
    };
  }
}
