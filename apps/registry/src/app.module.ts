import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { RegistryEnv } from './config';
import { Division } from './divisions/division.entity';
import { DivisionsModule } from './divisions/divisions.module';
import { CreateDivision1732000100000 } from './migrations/1732000100000-CreateDivision';

@Module({})
export class AppModule {
  static register(env: RegistryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          env,
          envClass: RegistryEnv,
          entities: [Division],
          migrations: [CreateDivision1732000100000],
        }),
        DivisionsModule,
      ],
    };
  }
}
