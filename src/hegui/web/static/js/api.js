// The public HTTP API, with the user's bearer token (kept for this browser tab only).
const TOKEN = "hegui.token";

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
  }
}

export function token() { return sessionStorage.getItem(TOKEN); }
export function forget() { sessionStorage.removeItem(TOKEN); }

export async function login(username, password) {
  const body = new URLSearchParams({ username, password });
  const res = await fetch("/api/v1/auth/token", { method: "POST", body });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.detail ?? res.statusText);
  sessionStorage.setItem(TOKEN, data.access_token);
}

export async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}` };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (res.status === 401) { forget(); location.hash = "#/login"; }
  if (!res.ok) throw new ApiError(res.status, describe(data.detail) ?? res.statusText);
  return data;
}

// A file (a recording) as a Blob. The token goes in the Authorization header as for every
// call, never in a URL; the caller makes an object URL of it for <audio>.
export async function blob(path) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (res.status === 401) { forget(); location.hash = "#/login"; }
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    throw new ApiError(res.status, describe(data.detail) ?? res.statusText);
  }
  return res.blob();
}

export const get = (path, params) => call("GET", params ? `${path}?${query(params)}` : path);
export const post = (path, body) => call("POST", path, body ?? {});

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  return q.toString();
}

function describe(detail) {
  if (Array.isArray(detail)) return detail.map((e) => `${(e.loc ?? []).join(".")}: ${e.msg}`).join("; ");
  return detail;
}
