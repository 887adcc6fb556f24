import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource, LessThan, type FindOptionsWhere } from 'typeorm';
import { Roles } from '@ecomlog/auth';
import { PageQuery, decodeCursor, toPage, type Page } from '@ecomlog/http';
import { AuditEntry } from './audit-entry.entity';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'division' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  entityId?: string;

  @ApiPropertyOptional({ description: 'Subject (user or client id) who made the changes' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;
}

/** The append-only audit log of this service, newest first. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-entries')
export class AuditController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Audit entries by entity and/or by user, newest first' })
  async list(@Query() query: AuditQuery): Promise<Page<AuditEntry>> {
    const limit = query.limit ?? 50;
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.entityType) where.entityType = query.entityType;
    if (query.entityId) where.entityId = query.entityId;
    if (query.actor) where.actorSubject = query.actor;
    if (query.cursor) where.id = LessThan(decodeCursor<{ id: string }>(query.cursor, ['id']).id);
    const rows = await this.dataSource
      .getRepository(AuditEntry)
      .find({ where, order: { id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, (row) => ({ id: row.id }));
  }
}
