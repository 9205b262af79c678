import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PROVINCE_READERS,
  PROVINCE_SENDERS,
  ProvinceBatches,
  ProvinceBatchesQuery,
  ProvinceRecordRow,
  ProvinceRecords,
  ProvinceRecordsQuery,
  ProvinceSummary,
  ProvinceSummaryQuery,
  Text,
} from '@jiuzhu/shared';
import { provinceBatches, provinceRecords, provinceSummary, resendProvinceRecord } from './service';

const IdParams = z.strictObject({ id: Text.max(20) });

export default async function provinceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['province'];

  r.get(
    '/api/province/summary',
    {
      config: { access: PROVINCE_READERS },
      schema: {
        tags,
        summary: 'Records for the provincial platform per type and month: pending, accepted, rejected',
        querystring: ProvinceSummaryQuery,
        response: { 200: ProvinceSummary },
      },
    },
    (req) => provinceSummary(db, req.query),
  );
  r.get(
    '/api/province/batches',
    {
      config: { access: PROVINCE_READERS },
      schema: {
        tags,
        summary: 'The batches posted to the provincial platform, newest first, with their outcome',
        querystring: ProvinceBatchesQuery,
        response: { 200: ProvinceBatches },
      },
    },
    (req) => provinceBatches(db, req.query),
  );
  r.get(
    '/api/province/records',
    {
      config: { access: PROVINCE_READERS },
      schema: {
        tags,
        summary: 'Outbox records (e.g. status=rejected: the ones to correct), without their personal data',
        querystring: ProvinceRecordsQuery,
        response: { 200: ProvinceRecords },
      },
    },
    (req) => provinceRecords(db, req.query),
  );
  r.post(
    '/api/province/records/:id/resend',
    {
      config: { access: PROVINCE_SENDERS },
      schema: {
        tags,
        summary: 'Re-sends a rejected record after correction (payload rebuilt from its source)',
        params: IdParams,
        response: { 200: ProvinceRecordRow },
      },
    },
    (req) => resendProvinceRecord({ db, protector }, req.params.id),
  );
}
