import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OneOf } from '@ecomlog/contracts';
import { IMPORT_MODES, type ImportMode } from '../site-import.service';

export class ImportSitesQuery {
  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description:
      'all-or-nothing: any bad row rejects the whole file (422, nothing written); valid-rows: the valid rows are imported and the bad ones reported',
  })
  @IsOptional()
  @OneOf(IMPORT_MODES)
  mode?: ImportMode;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'true: check the file and report, write nothing',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
