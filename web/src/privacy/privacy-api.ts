import type {
  AlertSubscription,
  AlertSubscriptionBody,
  AlertSubscriptionList,
  Consents,
  ConsentsView,
  LocationAccessList,
} from '@phytodiag/api/contract';
import { apiJson, errorFromResponse } from '../api/http';

/** Typed calls of the privacy and alert endpoints (consents, export, delete, subscriptions). */

export const fetchConsents = (fetchImpl?: typeof fetch) =>
  apiJson<ConsentsView>('/api/privacy/consents', {}, fetchImpl);

export const saveConsents = (body: Consents, fetchImpl?: typeof fetch) =>
  apiJson<ConsentsView>('/api/privacy/consents', { method: 'PUT', json: body }, fetchImpl);

export const fetchSubscriptions = () => apiJson<AlertSubscriptionList>('/api/alerts/subscriptions');

export const createSubscription = (body: AlertSubscriptionBody) =>
  apiJson<AlertSubscription>('/api/alerts/subscriptions', { method: 'POST', json: body });

export const deleteSubscription = (id: string) =>
  apiJson<undefined>(`/api/alerts/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const deleteAccount = (password: string) =>
  apiJson<undefined>('/api/privacy/delete', { method: 'POST', json: { password } });

export const fetchLocationAccess = (escalationId: string) =>
  apiJson<LocationAccessList>(
    `/api/escalations/${encodeURIComponent(escalationId)}/location-access`,
  );

/** The file name the server suggests (Content-Disposition), else a dated default. */
export function exportFileName(disposition: string | null, today: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  const name = m?.[1] ? decodeURIComponent(m[1]).replace(/[/\\]/g, '_') : '';
  return name || `phytodiag-mes-donnees-${today}.json`;
}

/** GET /api/privacy/export as a Blob, to be saved by the browser as a file. */
export async function fetchExport(): Promise<{ blob: Blob; fileName: string }> {
  const res = await fetch('/api/privacy/export', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw await errorFromResponse(res);
  const today = new Date().toISOString().slice(0, 10);
  return {
    blob: await res.blob(),
    fileName: exportFileName(res.headers.get('content-disposition'), today),
  };
}

/** Hand a Blob to the browser's download (a temporary object URL on a clicked link). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
