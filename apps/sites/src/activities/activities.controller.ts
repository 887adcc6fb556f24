import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { PageQuery, ProblemException, type Page } from '@ecomlog/http';
import { ActivitiesService, type AssessmentView, type TrainingView } from './activities.service';
import { RecordAssessmentDto, RecordTrainingDto } from './dto/activity.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function siteId(value: string): string {
  if (!UUID.test(value)) {
    throw new ProblemException(
      400,
      'invalid-site-id',
      'Invalid site id',
      `"${value}" is not a site id (a UUID such as 7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35).`,
    );
  }
  return value.toLowerCase();
}

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
    @Param('id') id: string,
    @Body() body: RecordAssessmentDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AssessmentView> {
    return this.activities.recordAssessment(siteId(id), body, actor);
  }

  @Get('assessments')
  @ApiOperation({ summary: "A site's assessments, newest quarter first" })
  listAssessments(
    @Param('id') id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<AssessmentView>> {
    return this.activities.listAssessments(siteId(id), query, reader);
  }

  @Post('trainings')
  @Roles('commerce', 'postal')
  @ApiOperation({
    summary: 'Record a training held at a site: date, topic, attendees, registered-poor attendees',
  })
  recordTraining(
    @Param('id') id: string,
    @Body() body: RecordTrainingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<TrainingView> {
    return this.activities.recordTraining(siteId(id), body, actor);
  }

  @Get('trainings')
  @ApiOperation({ summary: "A site's trainings, latest first" })
  listTrainings(
    @Param('id') id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<TrainingView>> {
    return this.activities.listTrainings(siteId(id), query, reader);
  }
}
