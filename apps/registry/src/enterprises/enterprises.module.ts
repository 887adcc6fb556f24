import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENTERPRISE_ENTITIES } from './enterprise.entity';
import { EnterpriseState } from './enterprise-state';
import { EnterprisesController, ShopsController } from './enterprises.controller';
import { EnterprisesService } from './enterprises.service';

@Module({
  imports: [TypeOrmModule.forFeature(ENTERPRISE_ENTITIES)],
  controllers: [EnterprisesController, ShopsController],
  providers: [EnterprisesService, EnterpriseState],
  exports: [EnterpriseState],
})
export class EnterprisesModule {}
