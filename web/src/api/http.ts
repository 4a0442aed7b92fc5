/** Thin fetch wrapper: JSON in/out, cookie session, and the API's {error:{code,message}} shape. */

export interface ApiErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error model's per-field details (e.g. DUPLICATE_CASE names the open case). */
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Mirror of the API contract's ACCOUNT_HEADER (the web takes the contract as types only;
 * web/test/account-header.test.ts checks that the two agree): sent by the device's queues with
 * each row, the id of the account that wrote it. Signed in as someone else by then (a shared
 * device), the server answers 401 SIGNED_IN_AS_ANOTHER and the row waits for its author.
 */
export const ACCOUNT_HEADER = 'x-phytodiag-account';

/** The header naming a row's author; none for a row written signed out (anyone may send it). */
export function forAccount(userId: string | null | undefined): Record<string, string> {
  return userId ? { [ACCOUNT_HEADER]: userId } : {};
}

/**
 * Why a queued row is kept after a 2xx that did not come from the API: a Wi-Fi login page or a
 * carrier's page (HTML, often after a redirect) answers 200 to anything.
 */
export const NOT_THE_API = 'answer not from the Phytodiag API (Wi-Fi login page?)';

export function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof ApiError && err.status === 0);
}

/**
 * An answer that is not the API's error (a proxy's or a gateway's page): its status text is the
 * browser's English (« Bad Gateway »). Said in the person's language instead, with the status for
 * support. French unless the app asked for English (setRequestLanguage).
 */
function foreignErrorMessage(status: number): string {
  const en = requestLanguage === 'en';
  if (status >= 500)
    return en
      ? `The server is not answering properly (error ${status}). Try again later.`
      : `Le serveur ne répond pas correctement (erreur ${status}). Réessayez plus tard.`;
  return en
    ? `The request was refused on its way to the server (error ${status}).`
    : `La demande a été refusée en chemin vers le serveur (erreur ${status}).`;
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = foreignErrorMessage(res.status);
  let details: ApiErrorDetail[] = [];
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    if (Array.isArray(body.error?.details)) details = body.error.details.filter(isDetail);
  } catch {
    // Not JSON (a proxy's error page...): the message above.
  }
  return new ApiError(res.status, code, message, details);
}

function isDetail(d: unknown): d is ApiErrorDetail {
  if (typeof d !== 'object' || d === null) return false;
  const { path, message } = d as Record<string, unknown>;
  return typeof path === 'string' && typeof message === 'string';
}

/**
 * The interface language, sent with every API call: the server words its messages in it (a
 * signed-in user's profile language comes first there; changing the language updates it).
 * Without it, the browser's own Accept-Language would decide, whatever the app shows.
 */
let requestLanguage: string | null = null;
export function setRequestLanguage(lang: string): void {
  requestLanguage = lang;
}

/** Dispatched on `window` when an API call answers 401 UNAUTHENTICATED. */
export const SESSION_ENDED_EVENT = 'phytodiag:session-ended';

export async function apiJson<T>(
  path: string,
  init: RequestInit & { json?: unknown } = {},
  fetchImpl: typeof fetch = fetch,
): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetchImpl(path, {
    credentials: 'same-origin',
    ...rest,
    headers: {
      accept: 'application/json',
      ...(requestLanguage === null ? {} : { 'accept-language': requestLanguage }),
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  if (!res.ok) {
    const err = await errorFromResponse(res);
    // The session ended elsewhere (password changed, « other devices » signed out, expiry):
    // whoever listens (main.tsx) checks it and signs the device out instead of leaving a screen
    // that says « Connecté » while every call answers « Vous devez vous connecter ».
    if (err.code === 'UNAUTHENTICATED' && typeof window !== 'undefined')
      window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
