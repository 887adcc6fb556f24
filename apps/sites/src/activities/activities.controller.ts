import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { PageQuery, PathParam, uuidParamRule, type Page } from '@ecomlog/http';
import { ActivitiesService, type AssessmentView, type TrainingView } from './activities.service';
import { RecordAssessmentDto, RecordTrainingDto } from './dto/activity.dto';

const SITE_ID = uuidParamRule('site');

/** Writes: commerce or postal officials of the site's region; reads: any official of it. */
@ApiTags('site activities')
@ApiBearerAuth()
@Controller('v1/sites/:id')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Post('assessments')
  @Roles('commerce', 'postal')
  @ApiOperation({
    summary:
      'Record the quarterly assessment (动态考核) of a site: total and dimension scores 0–100',
  })
  recordAssessment(
    @PathParam('id', SITE_ID) id: string,
    @Body() body: RecordAssessmentDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AssessmentView> {
    return this.activities.recordAssessment(id, body, actor);
  }

  @Get('assessments')
  @ApiOperation({ summary: "A site's assessments, newest quarter first" })
  listAssessments(
    @PathParam('id', SITE_ID) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<AssessmentView>> {
    return this.activities.listAssessments(id, query, reader);
  }

  @Post('trainings')
  @Roles('commerce', 'postal')
  @ApiOperation({
    summary: 'Record a training held at a site: date, topic, attendees, registered-poor attendees',
  })
  recordTraining(
    @PathParam('id', SITE_ID) id: string,
    @Body() body: RecordTrainingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<TrainingView> {
    return this.activities.recordTraining(id, body, actor);
  }

  @Get('trainings')
  @ApiOperation({ summary: "A site's trainings, latest first" })
  listTrainings(
    @PathParam('id', SITE_ID) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<TrainingView>> {
    return this.activities.listTrainings(id, query, reader);
  }
}
