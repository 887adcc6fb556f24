import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { SitesEnv } from './config';
import { KnownDivision } from './divisions/known-division.entity';
import { KnownDivisionsModule } from './divisions/known-divisions.module';
import { CreateKnownDivision1732000200000 } from './migrations/1732000200000-CreateKnownDivision';

@Module({})
export class AppModule {
  static register(env: SitesEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          env,
          envClass: SitesEnv,
          entities: [KnownDivision],
          migrations: [CreateKnownDivision1732000200000],
        }),
        KnownDivisionsModule,
      ],
    };
  }
}
