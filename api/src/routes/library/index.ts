import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, LangQuery } from '../../contract/common';
import {
  LibraryEntry,
  LibraryList,
  LibrarySync,
  LibrarySyncQuery,
  SlugParams,
} from '../../contract/library';
import { requestLanguage } from '../../i18n/request-language';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const library = app.services.library;

  app.get(
    '/api/library',
    { schema: { tags: ['library'], querystring: LangQuery, response: { 200: LibraryList } } },
    async (request) => library.list(request.query.lang ?? requestLanguage(request)),
  );

  app.get(
    '/api/library/sync',
    {
      schema: { tags: ['library'], querystring: LibrarySyncQuery, response: { 200: LibrarySync } },
    },
    async (request) => library.sync(request.query.since ?? 0),
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
    async (request) =>
      library.get(request.params.slug, request.query.lang ?? requestLanguage(request)),
  );
};
export default routes;
