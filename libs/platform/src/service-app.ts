import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import type { ServiceEnv } from '@ecomlog/config';
import { PlatformModule, type PlatformOptions } from './platform.module';

/** What a service adds on top of the platform: its data, and its own modules and providers. */
export interface ServiceAppParts<E extends ServiceEnv>
  extends
    Pick<PlatformOptions<E>, 'envClass'>,
    Partial<Pick<PlatformOptions<E>, 'entities' | 'migrations'>>,
    Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'> {}

/** A service's root module; `register(env)` is what main, the CLIs and the test harnesses boot. */
export interface ServiceAppModule<E extends ServiceEnv> {
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
