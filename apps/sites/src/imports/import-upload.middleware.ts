import { createHash } from 'node:crypto';
import {
  HttpException,
  HttpStatus,
  Injectable,
  type ExecutionContext,
  type NestMiddleware,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { raw, type NextFunction, type Request, type Response } from 'express';
import { of } from 'rxjs';
import { ProblemException } from '@ecomlog/http';

/** Largest file accepted, in bytes. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Raw bodies accepted; Windows browsers label CSV files application/vnd.ms-excel. */
export const RAW_IMPORT_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  XLSX_CONTENT_TYPE,
  'application/octet-stream',
];

/** The uploaded file, as the middleware leaves it on the request. */
export interface ImportUpload {
  bytes: Buffer;
  /** The client's file name (multipart only). */
  fileName?: string;
}

const UPLOAD = Symbol('ecomlog.sites.import-upload');
type UploadRequest = Request & {
  [UPLOAD]?: ImportUpload;
  file?: { buffer: Buffer; originalname?: string };
};

export function importUploadOf(request: Request): ImportUpload | undefined {
  return (request as UploadRequest)[UPLOAD];
}

const TOO_LARGE = `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB; split it into files of at most 5 MB (and 5000 rows) each.`;

/**
 * Reads the file of POST /v1/sites/imports before guards and interceptors run: multipart/form-data
 * (form field `file`) or a raw CSV/XLSX body, at most 5 MB. The request body is then replaced by a
 * digest of the file and query, so an Idempotency-Key retry is compared on the file itself.
 */
@Injectable()
export class ImportUploadMiddleware implements NestMiddleware {
  private readonly multipart = new (FileInterceptor('file', {
    limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 12 },
  }))();

  private readonly raw = raw({ type: RAW_IMPORT_TYPES, limit: IMPORT_MAX_BYTES });

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const upload = request.is('multipart/form-data')
      ? await this.readMultipart(request, response)
      : await this.readRaw(request, response);
    const digest = createHash('sha256').update(upload.bytes).digest('hex');
    (request as UploadRequest)[UPLOAD] = upload;
    request.body = { fileSha256: digest, query: request.query as unknown };
    next();
  }

  private async readMultipart(request: Request, response: Response): Promise<ImportUpload> {
    const context = {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
    } as unknown as ExecutionContext;
    try {
      await this.multipart.intercept(context, { handle: () => of(undefined) });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 413) {
        throw new ProblemException(413, 'import-file-too-large', 'File too large', TOO_LARGE);
      }
      if (error instanceof HttpException) {
        throw new ProblemException(
          400,
          'import-multipart-invalid',
          'Unreadable upload',
          `${error.message}: send one file in the multipart form field named "file".`,
        );
      }
      throw error;
    }
    const file = (request as UploadRequest).file;
    if (!file) {
      throw new ProblemException(
        400,
        'import-file-missing',
        'No file',
        'The multipart form has no file in a field named "file"; attach the CSV or XLSX file as "file".',
      );
    }
    return { bytes: file.buffer, fileName: file.originalname };
  }

  private async readRaw(request: Request, response: Response): Promise<ImportUpload> {
    if (!request.is(RAW_IMPORT_TYPES)) {
      throw new ProblemException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'import-media-type',
        'Unsupported media type',
        `Send the file as multipart/form-data (field "file") or as the raw body with Content-Type text/csv or ${XLSX_CONTENT_TYPE}; got ${request.header('content-type') ?? 'no Content-Type'}.`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      this.raw(request, response, (error?: unknown) => {
        if (error === undefined || error === null) resolve();
        else reject(rawBodyProblem(error));
      });
    });
    const body: unknown = request.body;
    return { bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0) };
  }
}

function rawBodyProblem(error: unknown): Error {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new ProblemException(413, 'import-file-too-large', 'File too large', TOO_LARGE);
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return new ProblemException(
      400,
      'import-upload-incomplete',
      'Upload incomplete',
      'The file did not arrive whole (the upload was cut short); send it again.',
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
