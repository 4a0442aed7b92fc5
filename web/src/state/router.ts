import { useSyncExternalStore } from 'react';

// Hash routes: work from any static host and offline without server rewrites.
export type Route =
  | { name: 'home' }
  | { name: 'diagnose' }
  | { name: 'result'; id: string }
  | { name: 'diagnoses' }
  | { name: 'library' }
  | { name: 'entry'; slug: string }
  | { name: 'entryEdit'; slug: string }
  /** `about`: the library entry the request was opened from (its crop fills the form). */
  | { name: 'escalate'; diagnosisId: string | null; about?: string }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'lab' }
  | { name: 'labCase'; id: string }
  | { name: 'bankUpload' }
  | { name: 'bankReview' }
  | { name: 'bankMine' }
  | { name: 'models' }
  | { name: 'agreement' }
  | { name: 'surveillance' }
  | { name: 'indicators' }
  | { name: 'team' }
  | { name: 'canned' }
  | { name: 'public' }
  | { name: 'account'; mode: 'login' | 'register' }
  | { name: 'forgot' }
  | { name: 'reset'; token: string }
  | { name: 'settings' }
  | { name: 'privacy' };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'diagnose':
      return { name: 'diagnose' };
    case 'diagnoses':
      return { name: 'diagnoses' };
    case 'result':
      return parts[1] ? { name: 'result', id: parts[1] } : { name: 'home' };
    case 'library':
      if (!parts[1]) return { name: 'library' };
      return parts[2] === 'edit'
        ? { name: 'entryEdit', slug: parts[1] }
        : { name: 'entry', slug: parts[1] };
    case 'escalate':
      return {
        name: 'escalate',
        diagnosisId: params.get('diagnosis'),
        ...(params.get('about') ? { about: params.get('about') ?? '' } : {}),
      };
    case 'cases':
      return parts[1] ? { name: 'case', id: parts[1] } : { name: 'cases' };
    case 'lab':
      return parts[1] ? { name: 'labCase', id: parts[1] } : { name: 'lab' };
    case 'bank':
      if (parts[1] === 'review') return { name: 'bankReview' };
      return parts[1] === 'mine' ? { name: 'bankMine' } : { name: 'bankUpload' };
    case 'models':
      return { name: 'models' };
    case 'agreement':
      return { name: 'agreement' };
    case 'surveillance':
      return { name: 'surveillance' };
    case 'indicators':
      return { name: 'indicators' };
    case 'team':
      return { name: 'team' };
    case 'canned':
      return { name: 'canned' };
    case 'public':
      return { name: 'public' };
    case 'login':
      return { name: 'account', mode: 'login' };
    case 'register':
      return { name: 'account', mode: 'register' };
    case 'forgot':
      return { name: 'forgot' };
    case 'reset':
      // The e-mailed link's token: in the hash, so never sent to a server.
      return { name: 'reset', token: params.get('token') ?? '' };
    case 'settings':
      return { name: 'settings' };
    case 'privacy':
      return { name: 'privacy' };
    default:
      return { name: 'home' };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'result':
      return `#/result/${encodeURIComponent(route.id)}`;
    case 'entry':
      return `#/library/${encodeURIComponent(route.slug)}`;
    case 'entryEdit':
      return `#/library/${encodeURIComponent(route.slug)}/edit`;
    case 'escalate':
      if (route.diagnosisId) return `#/escalate?diagnosis=${encodeURIComponent(route.diagnosisId)}`;
      return route.about ? `#/escalate?about=${encodeURIComponent(route.about)}` : '#/escalate';
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
    case 'labCase':
      return `#/lab/${encodeURIComponent(route.id)}`;
    case 'bankUpload':
      return '#/bank/upload';
    case 'bankReview':
      return '#/bank/review';
    case 'bankMine':
      return '#/bank/mine';
    case 'account':
      return route.mode === 'login' ? '#/login' : '#/register';
    case 'reset':
      return `#/reset?token=${encodeURIComponent(route.token)}`;
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
