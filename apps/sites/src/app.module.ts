import { defineServiceApp } from '@ecomlog/platform';
import { SitesEnv } from './config';
import { KnownDivision } from './read-models/known-division.entity';
import { KnownDivisionsModule } from './divisions/known-divisions.module';
import { CreateKnownDivision1732000200000 } from './migrations/1732000200000-CreateKnownDivision';
import { CreateKnownEnterprise1732000200100 } from './migrations/1732000200100-CreateKnownEnterprise';
import { KnownEnterprise } from './read-models/known-enterprise.entity';
import { ReadModelsModule } from './read-models/read-models.module';
import { CoverageModule } from './coverage-gaps/coverage.module';
import { CreateSites1732000600000 } from './migrations/1732000600000-CreateSites';
import { SITE_ENTITIES } from './sites/site.entity';
import { SitesModule } from './sites/sites.module';
import { ActivitiesModule } from './activities/activities.module';
import { ACTIVITY_ENTITIES } from './activities/activity.entity';
import { SiteImportsModule } from './imports/imports.module';
import { CreateSiteActivities1732000700000 } from './migrations/1732000700000-CreateSiteActivities';

/** sites: the three-tier station network, its activities, imports and coverage gaps. */
export const AppModule = defineServiceApp({
  envClass: SitesEnv,
  entities: [KnownDivision, KnownEnterprise, ...SITE_ENTITIES, ...ACTIVITY_ENTITIES],
  migrations: [
    CreateKnownDivision1732000200000,
    CreateKnownEnterprise1732000200100,
    CreateSites1732000600000,
    CreateSiteActivities1732000700000,
  ],
  imports: [
    ReadModelsModule,
    KnownDivisionsModule,
    SitesModule,
    CoverageModule,
    ActivitiesModule,
    SiteImportsModule,
  ],
});
