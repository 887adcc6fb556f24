import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { BRAND_ENTITIES } from './brand.entity';
import { BrandsController } from './brands.controller';
import { BrandsService } from './brands.service';

@Module({
  imports: [TypeOrmModule.forFeature(BRAND_ENTITIES), EnterprisesModule],
  controllers: [BrandsController],
  providers: [BrandsService],
})
export class BrandsModule {}
