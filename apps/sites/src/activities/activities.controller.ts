import { Body, Query } from '@nestjs/common';
import { BearerController, Create, CurrentPrincipal, Read, type Principal } from '@ecomlog/auth';
import { PageQuery, PathParam, uuidParamRule, type Page } from '@ecomlog/http';
import { ActivitiesService, type AssessmentView, type TrainingView } from './activities.service';
import { RecordAssessmentDto, RecordTrainingDto } from './dto/activity.dto';

const SITE_ID = uuidParamRule('site');

/** Writes: commerce or postal officials of the site's region; reads: any official of it. */
@BearerController('v1/sites/:id', { tag: 'site activities' })
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Create('assessments', {
    roles: ['commerce', 'postal'],
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

  @Read('assessments', { summary: "A site's assessments, newest quarter first" })
  listAssessments(
    @PathParam('id', SITE_ID) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<AssessmentView>> {
    return this.activities.listAssessments(id, query, reader);
  }

  @Create('trainings', {
    roles: ['commerce', 'postal'],
    summary: 'Record a training held at a site: date, topic, attendees, registered-poor attendees',
  })
  recordTraining(
    @PathParam('id', SITE_ID) id: string,
    @Body() body: RecordTrainingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<TrainingView> {
    return this.activities.recordTraining(id, body, actor);
  }

  @Read('trainings', { summary: "A site's trainings, latest first" })
  listTrainings(
    @PathParam('id', SITE_ID) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() reader: Principal,
  ): Promise<Page<TrainingView>> {
    return this.activities.listTrainings(id, query, reader);
  }
}
