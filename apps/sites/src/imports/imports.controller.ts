import { Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BearerController, Create, CurrentPrincipal, type Principal } from '@ecomlog/auth';
import { ProblemException, createdOrOk } from '@ecomlog/http';
import { ImportSitesQuery } from './dto/import-query.dto';
import { XLSX_CONTENT_TYPE, importUploadOf } from './import-upload.middleware';
import { SiteImportService, type ImportReport } from './site-import.service';

@BearerController('v1/sites/imports', { tag: 'sites' })
export class SiteImportsController {
  constructor(private readonly imports: SiteImportService) {}

  @Create({
    roles: ['commerce', 'postal'],
    summary: 'Register sites from a CSV or XLSX file (≤ 5 MB, ≤ 5000 rows)',
    description:
      'The whole file is checked first; every problem is reported with its line (CSV line or XLSX row; the header is line 1), column (the header as written) and reason. ' +
      'Headers: CreateSiteDto field names or the Chinese headers 站点名称, 站点类型, 区划代码, 运营企业 (id, credit code or registered name), 服务快递, 服务内容, 日处理能力, 地址, 纬度, 经度, 冷链, 云仓, 状态, 生效日期, 备注. ' +
      'Lists (服务快递, 服务内容) are separated by 、 , or ;. CSV may be UTF-8 (with or without BOM) or GBK/GB18030. ' +
      `The file may also be sent as the raw body with Content-Type text/csv or ${XLSX_CONTENT_TYPE}. ` +
      '201 with the sites created (200 on dryRun); 422 problem+json with `errors` when rows are rejected.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
      additionalProperties: false,
    },
  })
  async import(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query() query: ImportSitesQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ImportReport> {
    const upload = importUploadOf(request);
    if (!upload) {
      throw new ProblemException(
        400,
        'import-file-missing',
        'No file',
        'Send the file as multipart/form-data (field "file") or as a text/csv or .xlsx body.',
      );
    }
    const dryRun = query.dryRun === 'true';
    const report = await this.imports.import(
      upload.bytes,
      { mode: query.mode ?? 'all-or-nothing', dryRun },
      actor,
    );
    return createdOrOk(response, !dryRun, report);
  }
}
