/**
 * The demo's HTTP client for the platform's own APIs: JSON in and out, problem+json errors turned
 * into exceptions that carry the status and detail, and patience where the platform asks for it
 * (429 Retry-After) or a service is briefly away (restarted by someone else on a shared machine).
 */
import { mkdirSync, readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    method: string,
    url: string,
  ) {
    const detail =
      typeof body === 'object' && body !== null && 'detail' in body
        ? typeof body.detail === 'string'
          ? body.detail
          : JSON.stringify(body.detail)
        : JSON.stringify(body);
    super(`${method} ${url} answered ${status}: ${detail}`);
  }
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Raw body with its content type (CSV uploads). */
  raw?: { contentType: string; data: string };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function request<T>(
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(120_000) });
    } catch (error) {
      // Connection refused or reset: a service restarting. Give it up to a minute.
      if (attempt >= 30) throw error;
      await sleep(2000);
      continue;
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? null : safeJson(text);
    if (response.status === 429 && attempt < 10) {
      const retryAfter = Number(response.headers.get('retry-after') ?? '5');
      await sleep(Math.min(Math.max(retryAfter, 1), 60) * 1000);
      continue;
    }
    if (response.status === 503 && attempt < 30) {
      await sleep(2000);
      continue;
    }
    if (!response.ok) throw new HttpError(response.status, parsed, method, url);
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Waits until GET {baseUrl}/ready answers 200. */
export async function waitReady(name: string, baseUrl: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${name} is not ready at ${baseUrl}/ready after ${timeoutMs / 1000} s; start the services with npm run services:up`,
      );
    }
    await sleep(1000);
  }
}

/** Calls `attempt` until it returns a value, or throws its last error after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: still not true after ${timeoutMs / 1000} s${last instanceof Error ? ` (${last.message})` : ''}`,
      );
    }
    await sleep(1000);
  }
}

/** Bearer tokens, fetched again a minute before they expire. */
export class TokenSource {
  private cached: { token: string; expiresAt: number } | null = null;

  constructor(
    private readonly fetchToken: () => Promise<{ access_token: string; expires_in: number }>,
  ) {}

  static official(registryUrl: string, username: string, password: string): TokenSource {
    return new TokenSource(() =>
      request('POST', `${registryUrl}/v1/auth/login`, { body: { username, password } }),
    );
  }

  static client(registryUrl: string, clientId: string, clientSecret: string): TokenSource {
    return new TokenSource(() =>
      request('POST', `${registryUrl}/v1/oauth/token`, {
        body: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        },
      }),
    );
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt > Date.now() + 60_000) return this.cached.token;
    const answer = await this.fetchToken();
    this.cached = { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
    return answer.access_token;
  }
}

/** Reads a JSON file, or `fallback` when it does not exist. */
export function readJson<T>(path: string, fallback: T): T {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : fallback;
}

/** Writes a JSON file readable by its owner only (it holds passwords and client secrets). */
export function writePrivateJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
