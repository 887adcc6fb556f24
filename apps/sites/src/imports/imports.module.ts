import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KnownEnterprise } from '../read-models/known-enterprise.entity';
import { SitesModule } from '../sites/sites.module';
import { ImportUploadMiddleware } from './import-upload.middleware';
import { SiteImportsController } from './imports.controller';
import { SiteImportService } from './site-import.service';

/** POST /v1/sites/imports: bulk registration from CSV/XLSX through SitesService. */
@Module({
  imports: [TypeOrmModule.forFeature([KnownEnterprise]), SitesModule],
  controllers: [SiteImportsController],
  providers: [SiteImportService],
})
export class SiteImportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The file body is read for this route only; every other route keeps the JSON parser alone.
    consumer
      .apply(ImportUploadMiddleware)
      .forRoutes({ path: 'v1/sites/imports', method: RequestMethod.POST });
  }
}
