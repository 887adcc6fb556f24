import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * known_site: the sites read model (latest SiteChanged per site, from sites.sites.v1), and the index
 * that lets a newly known site link the scans that named it before it was known.
 */
export class CreateKnownSites1732001000000 implements MigrationInterface {
  name = 'CreateKnownSites1732001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_site (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        division_code char(12) NOT NULL,
        operator_enterprise_id uuid NOT NULL,
        carriers text[] NOT NULL,
        -- dated entries, oldest first: [{status, effectiveFrom, note}]
        status_history jsonb NOT NULL,
        version int NOT NULL,
        changed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX known_site_by_division ON known_site (division_code)');
    // Scans that named a site not yet known: small, and what a new site's arrival looks for.
    await queryRunner.query(
      `CREATE INDEX scan_unlinked_site ON scan (site_id)
       WHERE site_id IS NOT NULL AND division_code IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX scan_unlinked_site');
    await queryRunner.query('DROP TABLE known_site');
  }
}
