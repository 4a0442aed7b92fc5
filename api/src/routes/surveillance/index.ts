import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import {
  SurveillanceMap,
  SurveillanceQuery,
  SurveillanceSeries,
  SurveillanceTable,
} from '../../contract/surveillance';
import { toCsv } from '../../lib/csv';

export const CSV_HEADER = [
  'week',
  'regionCode',
  'mrcCode',
  'slug',
  'kind',
  'crop',
  'confirmed',
  'device',
] as const;

const errors = { '4xx': ErrorBody };

/** Lab staff only: counts by region / MRC, week and class; never a case or a location. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const surveillance = app.services.surveillance;
  const base = { onRequest: app.requireStaff };
  const tags = ['surveillance'];

  app.get(
    '/api/surveillance/map',
    {
      ...base,
      schema: {
        tags,
        querystring: SurveillanceQuery,
        response: { 200: SurveillanceMap, ...errors },
      },
    },
    async (request) => surveillance.map(request.query),
  );

  app.get(
    '/api/surveillance/series',
    {
      ...base,
      schema: {
        tags,
        querystring: SurveillanceQuery,
        response: { 200: SurveillanceSeries, ...errors },
      },
    },
    async (request) => surveillance.series(request.query),
  );

  app.get(
    '/api/surveillance/table',
    {
      ...base,
      schema: {
        tags,
        querystring: SurveillanceQuery,
        response: { 200: SurveillanceTable, ...errors },
      },
    },
    async (request) => surveillance.table(request.query),
  );

  app.get(
    '/api/surveillance/table.csv',
    {
      ...base,
      schema: {
        tags,
        description: 'The rows of /api/surveillance/table as RFC 4180 CSV (UTF-8).',
        querystring: SurveillanceQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...errors },
      },
    },
    async (request, reply) => {
      const table = await surveillance.table(request.query);
      const csv = toCsv(
        CSV_HEADER,
        table.rows.map((r) => [
          r.week,
          r.regionCode,
          r.mrcCode,
          r.slug,
          r.kind,
          r.crop,
          r.confirmed,
          r.device,
        ]),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="surveillance-${table.from}-${table.to}.csv"`,
        )
        .header('x-truncated', String(table.truncated))
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );
};
export default routes;
