// The one way the web app talks to the server: JSON over fetch, with the session cookie, this
// session's CSRF token on unsafe requests, and the server's problem documents turned into ApiError.

export interface Problem {
  status: number;
  code: string;
  detail: string;
  title?: string;
  field?: string;
  reason?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string;
  readonly reason: string;
  readonly retryAfterSeconds: number;

  constructor(p: Problem, retryAfterSeconds = 0) {
    super(p.detail || p.title || `request failed (${p.status})`);
    this.status = p.status;
    this.code = p.code;
    this.field = p.field ?? "";
    this.reason = p.reason ?? "";
    this.retryAfterSeconds = retryAfterSeconds;
  }

  // The form field this error is about: the one the server named, else the first of `fields`
  // whose name the message mentions as a word.
  fieldAmong(fields: readonly string[]): string {
    if (this.field) {
      const exact = fields.find((f) => f === this.field || this.field.startsWith(f + "."));
      if (exact) return exact;
    }
    const words = this.message.toLowerCase();
    return fields.find((f) => new RegExp(`\\b${f.replace(/_/g, "[_ ]")}\\b`).test(words)) ?? "";
  }
}

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// The error of a failed answer: the server's problem document, else the start of its body.
export function problemOf(status: number, text: string, retryAfter: string | null): ApiError {
  let parsed: Problem | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Problem) : undefined;
  } catch {
    parsed = undefined;
  }
  const p = parsed ?? { status, code: "http", detail: text.slice(0, 300) || `request failed (${status})` };
  return new ApiError({ ...p, status }, Number(retryAfter ?? 0));
}

export const NETWORK_ERROR = () =>
  new ApiError({ status: 0, code: "network", detail: "The server could not be reached. Check the connection and try again." });

// For an unsafe request sent other than by request() (an upload with progress).
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { "X-CSRF-Token": csrfToken } : {};
}

export interface RequestOptions {
  body?: unknown;
  // A body sent as it is (a CSV upload), with its content type.
  raw?: { data: Blob | string; type: string };
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers["Content-Type"] = opts.raw.type;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin", signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw NETWORK_ERROR();
  }
  const text = await response.text();
  if (!response.ok) throw problemOf(response.status, text, response.headers.get("Retry-After"));
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, { signal });
export const post = <T>(path: string, body?: unknown, idempotencyKey?: string) =>
  request<T>("POST", path, { body, idempotencyKey });

// A key for one user action, so that a retried click is not done twice.
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export interface Items<T> {
  items: T[];
}
