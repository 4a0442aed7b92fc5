import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { ErrorBody, LangQuery } from '../../contract/common';
import {
  LibraryEntry,
  LibraryList,
  LibrarySync,
  LibrarySyncQuery,
  SlugParams,
} from '../../contract/library';
import {
  EarlierLibraryEditionContent,
  EditableLibraryEntry,
  EditionParams,
  LibraryEntryEditBody,
} from '../../contract/library-edit';
import type { User } from '../../contract/user';
import { requestLanguage } from '../../i18n/request-language';

/**
 * The library service hands out the same answer object for as long as the library revision
 * stands (see revision-cache.ts), so its JSON is serialised once per object and reused: the full
 * sync payload is hundreds of kilobytes, serialising it on every request is most of its cost.
 */
const serialised = new WeakMap<object, ReturnType<FastifyReply['serialize']>>();
function sendCached(reply: FastifyReply, body: object) {
  let json = serialised.get(body);
  if (json === undefined) {
    json = reply.serialize(body); // the route's 200 response schema: same bytes as without cache
    serialised.set(body, json);
  }
  return reply.type('application/json; charset=utf-8').send(json);
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const library = app.services.library;

  app.get(
    '/api/library',
    { schema: { tags: ['library'], querystring: LangQuery, response: { 200: LibraryList } } },
    async (request, reply) =>
      sendCached(reply, await library.list(request.query.lang ?? requestLanguage(request))),
  );

  app.get(
    '/api/library/sync',
    {
      schema: { tags: ['library'], querystring: LibrarySyncQuery, response: { 200: LibrarySync } },
    },
    async (request, reply) => sendCached(reply, await library.sync(request.query.since ?? 0)),
  );

  app.get(
    '/api/library/:slug',
    {
      schema: {
        tags: ['library'],
        params: SlugParams,
        querystring: LangQuery,
        response: { 200: LibraryEntry, '4xx': ErrorBody },
      },
    },
    async (request, reply) =>
      sendCached(
        reply,
        await library.get(request.params.slug, request.query.lang ?? requestLanguage(request)),
      ),
  );

  // The lab writes and corrects entries (both languages at once).
  app.get(
    '/api/library/:slug/editable',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['library'],
        params: SlugParams,
        response: { 200: EditableLibraryEntry, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      // Always the latest edition: a stale copy would only end in a conflict.
      reply.header('cache-control', 'no-store');
      return app.services.libraryEdits.editable(request.params.slug);
    },
  );

  app.get(
    '/api/library/:slug/editions/:edition',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['library'],
        params: EditionParams,
        response: { 200: EarlierLibraryEditionContent, '4xx': ErrorBody },
      },
    },
    async (request) =>
      app.services.libraryEdits.earlier(request.params.slug, request.params.edition),
  );

  app.put(
    '/api/library/:slug',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['library'],
        params: SlugParams,
        body: LibraryEntryEditBody,
        response: { 200: EditableLibraryEntry, '4xx': ErrorBody },
      },
    },
    async (request) =>
      app.services.libraryEdits.edit(request.user as User, request.params.slug, request.body),
  );
};
export default routes;
