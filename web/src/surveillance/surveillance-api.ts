import type {
  IndicatorsQuery,
  PublicDetections,
  PublicQuery,
  ServiceIndicators,
  SurveillanceMap,
  SurveillanceQuery,
  SurveillanceSeries,
  SurveillanceTable,
} from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import { searchOf } from './query';

/** Typed calls of the surveillance dashboard, service indicators and the public view. */

export const fetchSurveillanceMap = (q: SurveillanceQuery) =>
  apiJson<SurveillanceMap>(`/api/surveillance/map${searchOf(q)}`);

export const fetchSurveillanceSeries = (q: SurveillanceQuery) =>
  apiJson<SurveillanceSeries>(`/api/surveillance/series${searchOf(q)}`);

export const fetchSurveillanceTable = (q: SurveillanceQuery) =>
  apiJson<SurveillanceTable>(`/api/surveillance/table${searchOf(q)}`);

export const fetchPublicDetections = (q: PublicQuery = {}) =>
  apiJson<PublicDetections>(`/api/public/detections${searchOf(q)}`);

export const fetchIndicators = (q: IndicatorsQuery = {}) =>
  apiJson<ServiceIndicators>(`/api/indicators${searchOf(q)}`);

/** The period's indicators, one CSV row per week (a download, not a screen: never cached). */
export const indicatorsCsvUrl = (q: IndicatorsQuery) => `/api/indicators/weeks.csv${searchOf(q)}`;
