import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DivisionHistory } from './division-history.entity';
import { DivisionImportService } from './division-import.service';
import { Division } from './division.entity';
import { DivisionsController } from './divisions.controller';
import { DivisionsService } from './divisions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Division, DivisionHistory])],
  controllers: [DivisionsController],
  providers: [DivisionsService, DivisionImportService],
  exports: [DivisionsService, DivisionImportService],
})
export class DivisionsModule {}
