import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@ecomlog/platform';
import { SitesEnv } from './config';
import { KnownDivision } from './divisions/known-division.entity';
import { KnownDivisionsModule } from './divisions/known-divisions.module';
import { CreateKnownDivision1732000200000 } from './migrations/1732000200000-CreateKnownDivision';
import { CreateKnownEnterprise1732000200100 } from './migrations/1732000200100-CreateKnownEnterprise';
import { KnownEnterprise } from './enterprises/known-enterprise.entity';
import { KnownEnterprisesModule } from './enterprises/known-enterprises.module';

@Module({})
export class AppModule {
  static register(env: SitesEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          env,
          envClass: SitesEnv,
          entities: [KnownDivision, KnownEnterprise],
          migrations: [CreateKnownDivision1732000200000, CreateKnownEnterprise1732000200100],
        }),
        KnownDivisionsModule,
        KnownEnterprisesModule,
      ],
    };
  }
}
