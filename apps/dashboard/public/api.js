// Calls to the services through the dashboard's same-origin proxy (/api/<service>/…), with the
// official's token. Every failure becomes an ApiError whose message a person can read.

const TOKEN_KEY = 'ecomlog.token';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => undefined;

/** Called when a token is refused (expired or revoked keys): the page goes back to the login. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

async function readProblem(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return problem.detail || problem.title || problem.error_description || text;
  } catch {
    return text || `HTTP ${response.status}`;
  }
}

/** GET or POST JSON; resolves to the parsed body or throws ApiError. */
export async function api(path, { method = 'GET', body, auth = true, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = storedToken();
  if (auth && token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, `the dashboard server is not reachable (${error.message})`);
  }
  if (!response.ok) {
    const detail = await readProblem(response);
    if (response.status === 401 && auth) onUnauthorized(detail);
    throw new ApiError(response.status, detail);
  }
  if (response.status === 204) return null;
  return response.json();
}

/** Follows `nextCursor` until the list is complete (division children, gaps, programs). */
export async function listAll(path, { limit = 100, signal } = {}) {
  const items = [];
  let cursor;
  for (let page = 0; page < 50; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await api(url, { signal });
    items.push(...(answer.items ?? []));
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}
