import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Site } from '../sites/site.entity';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ACTIVITY_ENTITIES } from './activity.entity';

@Module({
  imports: [TypeOrmModule.forFeature([...ACTIVITY_ENTITIES, Site])],
  controllers: [ActivitiesController],
  providers: [ActivitiesService],
})
export class ActivitiesModule {}
