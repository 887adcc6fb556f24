import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { ParcelsEnv } from './config';

@Module({})
export class AppModule {
  static register(env: ParcelsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ env, envClass: ParcelsEnv, entities: [], migrations: [] }),
      ],
    };
  }
}
