import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DivisionRef {
  code: string;
  name: string | null;
  level: string;
  parentCode: string | null;
}

/** Names, children and siblings from the divisions read model. */
@Injectable()
export class DivisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byCodes(codes: string[]): Promise<Map<string, DivisionRef>> {
    if (codes.length === 0) return new Map();
    const rows = await this.dataSource.query<
      { code: string; name: string; level: string; parent_code: string | null }[]
    >('SELECT code, name, level, parent_code FROM division WHERE code = ANY($1::text[])', [codes]);
    return new Map(
      rows.map((r) => [
        r.code,
        { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code },
      ]),
    );
  }

  /** Active children of each parent, by parent code. */
  async childrenOf(parents: string[]): Promise<Map<string, DivisionRef[]>> {
    const result = new Map<string, DivisionRef[]>(parents.map((p) => [p, []]));
    if (parents.length === 0) return result;
    const rows = await this.dataSource.query<
      { code: string; name: string; level: string; parent_code: string }[]
    >(
      `SELECT code, name, level, parent_code FROM division
       WHERE parent_code = ANY($1::text[]) AND status = 'active' ORDER BY code`,
      [parents],
    );
    for (const r of rows) {
      result
        .get(r.parent_code)
        ?.push({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });
    }
    return result;
  }

  async descendantsAtLevel(code: string, prefix: string, level: string): Promise<DivisionRef[]> {
    const rows = await this.dataSource.query<
      { code: string; name: string; level: string; parent_code: string | null }[]
    >(
      `SELECT code, name, level, parent_code FROM division
       WHERE code LIKE $1 || '%' AND code <> $2 AND level = $3 AND status = 'active' ORDER BY code`,
      [prefix, code, level],
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent_code,
    }));
  }
}
