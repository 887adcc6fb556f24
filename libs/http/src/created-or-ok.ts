import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/**
 * For a write that may find its result already there (a replayed key, a shop registered before):
 * 201 when this request created it, 200 when it was there. The handler takes
 * `@Res({ passthrough: true })` so Nest still writes the returned body.
 */
export function createdOrOk<T>(response: Response, created: boolean, body: T): T {
  response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
  return body;
}
