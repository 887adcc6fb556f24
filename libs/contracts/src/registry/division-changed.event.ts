import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { defineSnapshotEvent, SnapshotEventV1 } from '../snapshot-event';
import { DivisionCode, Text } from '../field-rules';
import { TOPICS } from '../topics';

export const DIVISION_LEVELS = ['province', 'city', 'county', 'town', 'village'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

export const DIVISION_STATUSES = ['active', 'retired'] as const;
export type DivisionStatus = (typeof DIVISION_STATUSES)[number];

/** 行政区划: the latest state of one administrative division (统计用区划代码, 12 digits). */
export class DivisionChangedV1 extends SnapshotEventV1 {
  @DivisionCode()
  code!: string;

  @Text()
  name!: string;

  @IsIn(DIVISION_LEVELS)
  level!: DivisionLevel;

  @IsOptional()
  @DivisionCode()
  parentCode!: string | null;

  /** 村民委员会 (village code suffix 200–399), as opposed to 居委会. */
  @IsBoolean()
  administrativeVillage!: boolean;

  @IsIn(DIVISION_STATUSES)
  status!: DivisionStatus;

  /** Set when the division was merged into another one. */
  @IsOptional()
  @DivisionCode()
  replacedBy!: string | null;
}

export const DivisionChanged = defineSnapshotEvent<DivisionChangedV1>({
  type: 'cn.ecomlog.registry.division-changed.v1',
  topic: TOPICS.registryDivisions,
  payload: DivisionChangedV1,
  collection: 'divisions',
  id: (division) => division.code,
  summary: 'A division was imported, renamed, merged or retired.',
  example: {
    code: '640521100000',
    name: '宣和镇',
    level: 'town',
    parentCode: '640521000000',
    administrativeVillage: false,
    status: 'active',
    replacedBy: null,
    version: 1,
    changedAt: '2024-08-01T09:30:00+08:00',
  },
});
