import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One dimension as stored in site_assessment.dimensions. */
export interface StoredDimension {
  name: string;
  score: number;
  weight: number | null;
}

/** What every activity recorded at a site keeps besides its own fields. */
abstract class SiteActivityRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  siteId!: string;

  /** The site's division when recorded (what the event carried). */
  @Column({ type: 'char', length: 12 })
  divisionCode!: string;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** 动态考核: one assessment of a site per quarter. */
@Entity({ name: 'site_assessment' })
@Index('site_assessment_site_period', ['siteId', 'period'], { unique: true })
export class SiteAssessment extends SiteActivityRecord {
  /** `YYYYQn`. */
  @Column({ type: 'text' })
  period!: string;

  /** numeric(5,2): the driver hands it back as a string. */
  @Column({ type: 'numeric', precision: 5, scale: 2 })
  totalScore!: string;

  @Column({ type: 'jsonb' })
  dimensions!: StoredDimension[];

  @Column({ type: 'date' })
  assessedOn!: string;

  @Column({ type: 'text' })
  assessor!: string;
}

/** 培训: a training held at a site. */
@Entity({ name: 'site_training' })
@Index('site_training_site_held_on', ['siteId', 'heldOn', 'id'])
export class SiteTraining extends SiteActivityRecord {
  @Column({ type: 'date' })
  heldOn!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'int' })
  attendees!: number;

  @Column({ type: 'int' })
  registeredPoorAttendees!: number;

  @Column({ type: 'text', nullable: true })
  trainer!: string | null;
}

export const ACTIVITY_ENTITIES = [SiteAssessment, SiteTraining];
