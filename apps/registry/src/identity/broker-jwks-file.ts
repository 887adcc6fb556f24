import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { PublicJwk } from '@ecomlog/auth';

/**
 * The broker validates OAUTHBEARER tokens against a JWKS file (Kafka refuses to start when an
 * HTTP JWKS endpoint is unreachable, so a file lets the broker start before the registry and
 * survive its restarts; Kafka re-reads a replaced file within seconds).
 *
 * Several registries may share one local broker (a developer's `npm start` beside a test run),
 * each with its own key store. Each writes its own keys under a writer id and keeps the others'
 * keys while their writers keep refreshing them; keys of a writer silent for STALE_WRITER_MS are
 * dropped. The bookkeeping lives in a sidecar file so the JWKS stays plain RFC 7517.
 */
export const STALE_WRITER_MS = 10 * 60 * 1000;

interface Writers {
  [writerId: string]: { refreshedAt: number; kids: string[] };
}

export async function writeBrokerJwksFile(
  path: string,
  writerId: string,
  ownKeys: PublicJwk[],
  now = Date.now(),
): Promise<void> {
  const current = await readJson<{ keys?: PublicJwk[] }>(path, {});
  const writers = await readJson<Writers>(`${path}.writers`, {});
  writers[writerId] = { refreshedAt: now, kids: ownKeys.map((key) => key.kid) };
  const kept = new Set<string>();
  for (const [id, writer] of Object.entries(writers)) {
    if (now - writer.refreshedAt > STALE_WRITER_MS) delete writers[id];
    else if (id !== writerId) writer.kids.forEach((kid) => kept.add(kid));
  }
  const others = (current.keys ?? []).filter(
    (key) => kept.has(key.kid) && !ownKeys.some((own) => own.kid === key.kid),
  );
  await replaceFile(`${path}.writers`, `${JSON.stringify(writers, null, 2)}\n`);
  await replaceFile(path, `${JSON.stringify({ keys: [...ownKeys, ...others] })}\n`);
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Write beside, then rename: the broker never reads a half-written file. */
async function replaceFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}
