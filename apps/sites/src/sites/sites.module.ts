import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KnownDivision } from '../read-models/known-division.entity';
import { KnownEnterprise } from '../read-models/known-enterprise.entity';
import { SITE_ENTITIES } from './site.entity';
import { SiteState } from './site-state';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';

@Module({
  imports: [TypeOrmModule.forFeature([...SITE_ENTITIES, KnownDivision, KnownEnterprise])],
  controllers: [SitesController],
  providers: [SitesService, SiteState],
  exports: [SitesService],
})
export class SitesModule {}
