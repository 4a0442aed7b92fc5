import type {
  EarlierLibraryEditionContent,
  EditableLibraryEntry,
  LibraryEntryEditBody,
} from '@phytodiag/api/contract';
import { apiJson } from '../api/http';

/** The lab's edits of a library entry (specialists and admins; the API checks the same). */

const entryPath = (slug: string) => `/api/library/${encodeURIComponent(slug)}`;

export const fetchEditableEntry = (slug: string) =>
  apiJson<EditableLibraryEntry>(`${entryPath(slug)}/editable`);

export const saveEntry = (slug: string, body: LibraryEntryEditBody) =>
  apiJson<EditableLibraryEntry>(entryPath(slug), { method: 'PUT', json: body });

export const fetchEarlierEdition = (slug: string, edition: number) =>
  apiJson<EarlierLibraryEditionContent>(`${entryPath(slug)}/editions/${edition}`);
