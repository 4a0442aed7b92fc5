import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../../contract/common';
import { IndicatorsQuery, ServiceIndicators } from '../../contract/surveillance';
import { toCsv } from '../../lib/csv';

/** The columns of the weekly export, in order (documented in the route's description). */
export const WEEKS_CSV_HEADER = [
  'week',
  'received',
  'onDeviceReports',
  'firstResponses',
  'medianFirstResponseHours',
  'judged',
  'withinCommitment',
  'rating1',
  'rating2',
  'rating3',
  'rating4',
  'rating5',
] as const;

const PERIOD = 'over the inclusive weeks [from, to] (Mondays; default the last 12 weeks)';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const indicators = app.services.indicators;
  const base = { onRequest: app.requireRole('admin') };

  app.get(
    '/api/indicators',
    {
      ...base,
      schema: {
        tags: ['indicators'],
        description: `Service indicators ${PERIOD}. Backlog is as of now; agreement is over all answered cases.`,
        querystring: IndicatorsQuery,
        response: { 200: ServiceIndicators, '4xx': ErrorBody },
      },
    },
    async (request) => indicators.get(request.query),
  );

  app.get(
    '/api/indicators/weeks.csv',
    {
      ...base,
      schema: {
        tags: ['indicators'],
        description:
          `The indicators ${PERIOD}, one row per week, as RFC 4180 CSV (UTF-8). A case counts in ` +
          'the week it was received, with its first response and the commitment’s verdict ' +
          '(judged: answered, or unanswered past its deadline); a rating in the week it was ' +
          `given. Columns: ${WEEKS_CSV_HEADER.join(', ')}.`,
        querystring: IndicatorsQuery,
        response: { 200: Type.String({ description: 'text/csv' }), '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const { from, to, weeks } = await indicators.weeks(request.query);
      const csv = toCsv(
        WEEKS_CSV_HEADER,
        weeks.map((w) => [
          w.week,
          w.received,
          w.onDeviceReports,
          w.firstResponses,
          w.medianFirstResponseHours === null
            ? null
            : Math.round(w.medianFirstResponseHours * 10) / 10,
          w.judged,
          w.withinCommitment,
          ...w.ratings,
        ]),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="indicateurs-${from}-${to}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );
};
export default routes;
