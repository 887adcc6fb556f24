import { Module } from '@nestjs/common';
import { SiteReadModelConsumer } from './site-read-model.consumer';

/** known_site, kept from sites.sites.v1 (scans that give only a siteId take its division). */
@Module({ providers: [SiteReadModelConsumer] })
export class SitesReadModelModule {}
