import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at start-up when the environment does not satisfy a service's configuration class. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'InvalidConfigurationError';
  }
}

function describe(errors: ValidationError[], env: Record<string, unknown>): string[] {
  return errors.flatMap((error) => {
    const given = env[error.property];
    const shown =
      given === undefined
        ? 'it is not set'
        : /PASSWORD|SECRET|KEY/i.test(error.property)
          ? 'the value given is hidden'
          : `got ${JSON.stringify(given)}`;
    return Object.values(error.constraints ?? {}).map(
      (message) => `${error.property}: ${message} (${shown})`,
    );
  });
}

/**
 * Reads the environment into a class-validator decorated configuration class, converting
 * numbers and booleans, and lists every missing or invalid variable at once so an operator can
 * fix them in one go.
 */
export function validateEnv<T extends object>(
  schema: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const known = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const config = plainToInstance(schema, known, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new InvalidConfigurationError(describe(errors, known));
  }
  return config;
}
