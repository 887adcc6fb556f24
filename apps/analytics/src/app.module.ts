import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { AnalyticsEnv } from './config';

@Module({})
export class AppModule {
  static register(env: AnalyticsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ env, envClass: AnalyticsEnv, entities: [], migrations: [] }),
      ],
    };
  }
}
