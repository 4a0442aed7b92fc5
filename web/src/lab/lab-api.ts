import type {
  AgreementStats,
  AnswerBody,
  BankSubmission,
  BankSubmissionCreated,
  BankSubmissionList,
  BankSubmissionMeta,
  CannedAnswer,
  CannedAnswerBody,
  CannedAnswerList,
  Escalation,
  EscalationList,
  EscalationMessage,
  EscalationMessageList,
  EscalationQueueQuery,
  ModelVersionList,
  NotificationList,
  PhotoReuseResult,
  ProfileKind,
  RatingBody,
  ToBankResult,
  TrainingRequestList,
  Role,
  TeamMember,
  ResetLink,
  TeamMemberList,
} from '@phytodiag/api/contract';
import { apiJson, errorFromResponse, forAccount } from '../api/http';

/** Typed calls of the lab workflow (specialist queue, case actions, thread, bank). */

export function queueUrl(filters: EscalationQueueQuery): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, String(v));
  const s = q.toString();
  return s ? `/api/escalations?${s}` : '/api/escalations';
}

const casePath = (id: string) => `/api/escalations/${encodeURIComponent(id)}`;

// fetchImpl: the offline mirror (outbox/my-cases) reuses these reads and is tested with a fake.
export const fetchQueue = (filters: EscalationQueueQuery, fetchImpl?: typeof fetch) =>
  apiJson<EscalationList>(queueUrl(filters), {}, fetchImpl);

export const fetchCase = (id: string, fetchImpl?: typeof fetch) =>
  apiJson<Escalation>(casePath(id), {}, fetchImpl);

export type CaseAction = 'claim' | 'sample-received' | 'close';

/** `takeOver` (claim only): take a case a colleague holds (otherwise 409 CASE_CLAIMED). */
export const caseAction = (id: string, action: CaseAction, takeOver = false) =>
  apiJson<Escalation>(`${casePath(id)}/${action}${takeOver ? '?takeOver=true' : ''}`, {
    method: 'POST',
    json: {},
  });

/** The lab closing a case it never answered: `message` tells the requester why. */
export const closeCase = (id: string, message: string) =>
  apiJson<Escalation>(`${casePath(id)}/close`, {
    method: 'POST',
    json: { message },
  });

/** Staff: the requester's profile on this case, as the lab finds it (the queue's priority). */
export const setRequesterKind = (id: string, profileKind: ProfileKind) =>
  apiJson<Escalation>(`${casePath(id)}/requester-kind`, {
    method: 'PUT',
    json: { profileKind },
  });

export const answerCase = (id: string, body: AnswerBody) =>
  apiJson<Escalation>(`${casePath(id)}/answer`, {
    method: 'POST',
    json: body,
  });

export const requestSample = (id: string, instructions: string) =>
  apiJson<Escalation>(`${casePath(id)}/sample-request`, {
    method: 'POST',
    json: { instructions },
  });

export const fetchMessages = (id: string, fetchImpl?: typeof fetch) =>
  apiJson<EscalationMessageList>(`${casePath(id)}/messages`, {}, fetchImpl);

/** JSON when text only; multipart (`body` + `photo` parts) when photos come along. */
export async function postMessage(
  id: string,
  body: string,
  photos: Blob[] = [],
): Promise<EscalationMessage> {
  const path = `${casePath(id)}/messages`;
  if (photos.length === 0)
    return apiJson<EscalationMessage>(path, { method: 'POST', json: { body } });
  const form = new FormData();
  form.append('body', body);
  photos.forEach((p, i) => form.append('photo', p, `photo-${i + 1}.jpg`));
  return apiJson<EscalationMessage>(path, { method: 'POST', body: form });
}

export const rateCase = (id: string, body: RatingBody) =>
  apiJson<Escalation>(`${casePath(id)}/rating`, {
    method: 'POST',
    json: body,
  });

/** The owner gives or withdraws the photo-reuse consent of a case (PUT …/photo-reuse). */
export const setPhotoReuse = (id: string, consent: boolean) =>
  apiJson<PhotoReuseResult>(`${casePath(id)}/photo-reuse`, { method: 'PUT', json: { consent } });

export const fetchNotifications = () => apiJson<NotificationList>('/api/notifications');

export const markNotificationsRead = (escalationId: string) =>
  apiJson<unknown>('/api/notifications/read', { method: 'POST', json: { escalationId } });

export const fetchCannedAnswers = () => apiJson<CannedAnswerList>('/api/canned-answers');

const cannedPath = (id: string) => `/api/canned-answers/${encodeURIComponent(id)}`;

/** Adds a canned answer (`id` null) or replaces one. */
export const saveCannedAnswer = (id: string | null, body: CannedAnswerBody) =>
  id === null
    ? apiJson<CannedAnswer>('/api/canned-answers', { method: 'POST', json: body })
    : apiJson<CannedAnswer>(cannedPath(id), { method: 'PUT', json: body });

export const deleteCannedAnswer = (id: string) =>
  apiJson<void>(cannedPath(id), { method: 'DELETE' });

/** Submissions to review (curators see everyone's), or with `mine` the viewer's own. */
export const fetchSubmissions = (
  filter: { status?: 'pending' | 'validated' | 'rejected'; mine?: boolean } = {},
) => {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.mine) query.set('mine', 'true');
  const qs = query.toString();
  return apiJson<BankSubmissionList>(`/api/bank/submissions${qs ? `?${qs}` : ''}`);
};

/** Validates every pending image of a submission, or only `imageIds`. */
export const validateSubmission = (id: string, imageIds?: string[]) =>
  apiJson<BankSubmission>(`/api/bank/submissions/${encodeURIComponent(id)}/validate`, {
    method: 'POST',
    json: imageIds ? { imageIds } : {},
  });

/** Rejects every pending image of a submission, or only `imageIds`, with one reason. */
export const rejectSubmission = (id: string, reason: string, imageIds?: string[]) =>
  apiJson<BankSubmission>(`/api/bank/submissions/${encodeURIComponent(id)}/reject`, {
    method: 'POST',
    json: imageIds ? { reason, imageIds } : { reason },
  });

/** Takes validated images of a submission (all, or `imageIds`) back out of the bank. */
export const withdrawSubmission = (id: string, reason: string, imageIds?: string[]) =>
  apiJson<BankSubmission>(`/api/bank/submissions/${encodeURIComponent(id)}/withdraw`, {
    method: 'POST',
    json: imageIds ? { reason, imageIds } : { reason },
  });

/** Answered case whose owner consented: its photos become validated bank images. */
export const caseToBank = (id: string) =>
  apiJson<ToBankResult>(`${casePath(id)}/to-bank`, { method: 'POST', json: {} });

export const fetchModels = () => apiJson<ModelVersionList>('/api/models');

export const fetchTrainingRequests = () => apiJson<TrainingRequestList>('/api/training-requests');

export const fetchTeam = (q?: string) =>
  apiJson<TeamMemberList>(q ? `/api/users?q=${encodeURIComponent(q)}` : '/api/users');
export const setMemberRole = (id: string, role: Role) =>
  apiJson<TeamMember>(`/api/users/${encodeURIComponent(id)}/role`, {
    method: 'PATCH',
    json: { role },
  });
/** A one-hour, one-time link to a new password, for the admin to give the person. */
export const issueResetLink = (id: string) =>
  apiJson<ResetLink>(`/api/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' });

/** 204: the caller re-reads the list to see which version is current. */
export const rollbackModel = (version: string) =>
  apiJson<undefined>(`/api/models/${encodeURIComponent(version)}/rollback`, {
    method: 'POST',
    json: {},
  });

export const fetchAgreement = () => apiJson<AgreementStats>('/api/stats/agreement');

/**
 * Share of each photo already uploaded, from the bytes sent so far: the parts go in order, so
 * photo i is done once the body is past its end. The meta JSON before them is tiny.
 */
export function perPhotoProgress(sizes: number[], loaded: number): number[] {
  let start = 0;
  return sizes.map((size) => {
    const done = Math.min(Math.max(loaded - start, 0), size);
    start += size;
    return size === 0 ? 1 : done / size;
  });
}

/** XHR rather than fetch: fetch has no upload progress events. */
export function uploadSubmission(
  meta: BankSubmissionMeta,
  photos: Blob[],
  onProgress: (perPhoto: number[]) => void,
  /** The account that kept them on the device (see ACCOUNT_HEADER). */
  userId?: string,
): Promise<BankSubmissionCreated> {
  const form = new FormData();
  form.append('meta', JSON.stringify(meta));
  photos.forEach((p, i) => form.append('photo', p, `photo-${i + 1}.jpg`));
  const sizes = photos.map((p) => p.size);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/bank/submissions');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(forAccount(userId)))
      xhr.setRequestHeader(name, value);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      // The multipart overhead makes e.total a bit larger than the photos: scale to their share.
      const photoBytes = sizes.reduce((a, b) => a + b, 0);
      const loaded = e.total > 0 ? (e.loaded / e.total) * photoBytes : 0;
      onProgress(perPhotoProgress(sizes, loaded));
    };
    xhr.onerror = () => reject(new TypeError('Network error'));
    xhr.onload = () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': 'application/json' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(sizes.map(() => 1));
        resolve(JSON.parse(xhr.responseText) as BankSubmissionCreated);
      } else void errorFromResponse(res).then(reject);
    };
    xhr.send(form);
  });
}
