import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 动态考核 and trainings held at sites; each row also stands in sites.activities.v1. */
export class CreateSiteActivities1732000700000 implements MigrationInterface {
  name = 'CreateSiteActivities1732000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE site_assessment (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES site (id),
        division_code char(12) NOT NULL,
        period text NOT NULL CHECK (period ~ '^[0-9]{4}Q[1-4]$'),
        total_score numeric(5,2) NOT NULL CHECK (total_score BETWEEN 0 AND 100),
        dimensions jsonb NOT NULL CHECK (jsonb_typeof(dimensions) = 'array'),
        assessed_on date NOT NULL,
        assessor text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT site_assessment_site_period UNIQUE (site_id, period)
      )`);
    await queryRunner.query(`
      CREATE TABLE site_training (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES site (id),
        division_code char(12) NOT NULL,
        held_on date NOT NULL,
        topic text NOT NULL,
        attendees int NOT NULL CHECK (attendees >= 1),
        registered_poor_attendees int NOT NULL
          CHECK (registered_poor_attendees BETWEEN 0 AND attendees),
        trainer text,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX site_training_site_held_on ON site_training (site_id, held_on DESC, id DESC)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE site_training');
    await queryRunner.query('DROP TABLE site_assessment');
  }
}
