// Calls to the services through the dashboard's same-origin proxy (/api/<service>/…), with the
// official's token. Every failure becomes an ApiError whose message a person can read.

import { t } from './i18n.js';

const TOKEN_KEY = 'ecomlog.token';

export class ApiError extends Error {
  /** `messageKey`: the page's own words for this failure, re-translated on a language switch. */
  constructor(status, detail, messageKey = null) {
    super(detail);
    this.status = status;
    this.messageKey = messageKey;
  }
}

/** An error's text in the current language. */
export function describeError(error) {
  return error?.messageKey ? t(error.messageKey) : String(error?.message ?? error);
}

const NOT_OFFERED = 'state.notOffered';

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
  let detail;
  try {
    const problem = JSON.parse(text);
    detail = problem.detail || problem.title || problem.error_description || text;
  } catch {
    detail = text || `HTTP ${response.status}`;
  }
  // A route the service does not have (yet): say so instead of echoing the framework's words.
  if (response.status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE) /.test(detail)) {
    return { detail: t(NOT_OFFERED), messageKey: NOT_OFFERED };
  }
  return { detail, messageKey: null };
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
    const { detail, messageKey } = await readProblem(response);
    if (response.status === 401 && auth) onUnauthorized(detail);
    throw new ApiError(response.status, detail, messageKey);
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
