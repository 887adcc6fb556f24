import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors } from '@ecomlog/contracts';
import { ValidationProblemException } from './problem';

/** Whitelists DTO fields, refuses unknown ones, and reports every failing field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationProblemException(flattenValidationErrors(errors)),
  });
}
