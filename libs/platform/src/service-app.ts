import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { validateEnv, type ServiceEnv } from '@ecomlog/config';
import { bootstrapService, type ServiceDescription } from './bootstrap';
import { PlatformModule, type PlatformOptions } from './platform.module';

/** What a service adds on top of the platform: its data, and its own modules and providers. */
export interface ServiceAppParts<E extends ServiceEnv>
  extends
    Pick<PlatformOptions<E>, 'envClass'>,
    Partial<Pick<PlatformOptions<E>, 'entities' | 'migrations'>>,
    Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'> {}

/** A service's root module; `register(env)` is what main, the CLIs and the test harnesses boot. */
export interface ServiceAppModule<E extends ServiceEnv> {
  /** The configuration class main validates the environment against. */
  readonly envClass: Type<E>;
  register(env: E): DynamicModule;
}

/**
 * The root module of a service: PlatformModule (env, logs, auth, problems, health, its database
 * and migrations, outbox, Redis, messaging) under the service's own parts. Every service's root
 * module was this same shell written out again.
 */
export function defineServiceApp<E extends ServiceEnv>(
  parts: ServiceAppParts<E>,
): ServiceAppModule<E> {
  const { envClass, entities = [], migrations = [], imports = [], ...own } = parts;
  @Module({})
  class ServiceApp {
    static readonly envClass = envClass;
    static register(env: E): DynamicModule {
      return {
        module: ServiceApp,
        imports: [PlatformModule.forService({ env, envClass, entities, migrations }), ...imports],
        ...own,
      };
    }
  }
  return ServiceApp;
}

/**
 * A service's main: validates the environment against the app's configuration class, boots it,
 * and exits 1 with the reason (a wrong variable, an unreachable database) when either fails.
 */
export function runService<E extends ServiceEnv>(
  app: ServiceAppModule<E>,
  description: ServiceDescription,
): void {
  const start = async (): Promise<void> => {
    const env = validateEnv(app.envClass);
    await bootstrapService(app.register(env), env, description);
  };
  start().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
