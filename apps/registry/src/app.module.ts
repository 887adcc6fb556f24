import { defineServiceApp } from '@ecomlog/platform';
import { RegistryEnv } from './config';
import { Division } from './divisions/division.entity';
import { DivisionHistory } from './divisions/division-history.entity';
import { DivisionsModule } from './divisions/divisions.module';
import { CreateDivision1732000100000 } from './migrations/1732000100000-CreateDivision';
import { DivisionHistory1732000300000 } from './migrations/1732000300000-DivisionHistory';
import { CreateIdentity1732000500000 } from './migrations/1732000500000-CreateIdentity';
import { ApiClient, OfficialUser, SigningKey } from './identity/identity.entities';
import { IdentityModule } from './identity/identity.module';
import { BRAND_ENTITIES } from './brands/brand.entity';
import { BrandsModule } from './brands/brands.module';
import { ENTERPRISE_ENTITIES } from './enterprises/enterprise.entity';
import { EnterprisesModule } from './enterprises/enterprises.module';
import { CreateEnterprises1732000400000 } from './migrations/1732000400000-CreateEnterprises';
import { CreateBrands1732000400100 } from './migrations/1732000400100-CreateBrands';
import { SubscriberClients1732000600000 } from './migrations/1732000600000-SubscriberClients';

/** registry: divisions, enterprises, brands and identity (officials, clients, signing keys). */
export const AppModule = defineServiceApp({
  envClass: RegistryEnv,
  entities: [
    Division,
    DivisionHistory,
    ...ENTERPRISE_ENTITIES,
    ...BRAND_ENTITIES,
    SigningKey,
    ApiClient,
    OfficialUser,
  ],
  migrations: [
    CreateDivision1732000100000,
    DivisionHistory1732000300000,
    CreateEnterprises1732000400000,
    CreateBrands1732000400100,
    CreateIdentity1732000500000,
    SubscriberClients1732000600000,
  ],
  imports: [DivisionsModule, EnterprisesModule, BrandsModule, IdentityModule],
});
