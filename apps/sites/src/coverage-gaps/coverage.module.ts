import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KnownDivision } from '../read-models/known-division.entity';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';

@Module({
  imports: [TypeOrmModule.forFeature([KnownDivision])],
  controllers: [CoverageController],
  providers: [CoverageService],
})
export class CoverageModule {}
