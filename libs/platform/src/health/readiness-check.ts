/**
 * One dependency /ready looks at. A service's parts contribute their checks (database, Redis,
 * Kafka, consumer groups; the dashboard: Kafka and its live feed) under READINESS_CHECKS.
 */
export interface ReadinessCheck {
  /** Its key in the `checks` object of the /ready answer. */
  readonly name: string;
  /** The value shown under `name`, and the sentences that make the process not ready. */
  run(): Promise<{ value: unknown; problems: string[] }>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** 'up' when `probe` answers (anything but false) within `timeoutMs`, else 'down'. */
export function reachabilityCheck(
  name: string,
  probe: () => Promise<unknown>,
  timeoutMs = 2000,
  problem = `${name} unreachable`,
): ReadinessCheck {
  return {
    name,
    async run() {
      let timer: NodeJS.Timeout | undefined;
      let up: boolean;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        });
        up = (await Promise.race([probe(), timeout])) !== false;
      } catch {
        up = false;
      } finally {
        clearTimeout(timer);
      }
      return { value: up ? 'up' : 'down', problems: up ? [] : [problem] };
    },
  };
}
