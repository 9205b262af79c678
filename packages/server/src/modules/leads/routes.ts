import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LEAD_READERS,
  LEAD_WORKERS,
  LeadDetail,
  LeadListQuery,
  LeadPage,
  LeadStats,
  LeadStatsQuery,
  LeadVisitInput,
  Text,
  CASE_INTAKE,
  LeadPrefill,
} from '@jiuzhu/shared';
import { applicationPrefill } from './handoff';
import { getLead, getPhoto, leadStats, listLeads, recordVisit } from './service';

const IdParams = z.strictObject({ id: Text.max(64) });
const PhotoParams = z.strictObject({
  id: Text.max(64),
  visitId: Text.max(64),
  n: z.coerce.number().int().min(1).max(4),
});

export default async function leadsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['leads'];
  const read = { access: LEAD_READERS };
  const work = { access: LEAD_WORKERS };

  r.get(
    '/api/leads',
    {
      config: read,
      schema: {
        tags,
        summary: 'Leads (疑似困难线索) of the caller’s region: the grid worker’s inbox',
        querystring: LeadListQuery,
        response: { 200: LeadPage },
      },
    },
    (req) => listLeads(db, req.query, (id) => protector.idHash(id)),
  );
  r.get(
    '/api/leads/stats',
    {
      config: read,
      schema: {
        tags,
        summary: 'Issued, visited, verified on time, overdue and escalated leads per child region',
        querystring: LeadStatsQuery,
        response: { 200: LeadStats },
      },
    },
    (req) => leadStats(db, req.query.region),
  );
  r.get(
    '/api/leads/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A lead: the person (masked), why it was raised, its due date and visits',
        params: IdParams,
        response: { 200: LeadDetail },
      },
    },
    (req) => getLead(db, protector, req.params.id),
  );
  r.get(
    '/api/leads/:id/application-prefill',
    {
      config: { access: CASE_INTAKE },
      schema: {
        tags,
        summary:
          'The application form from a lead (协助申请): the household’s members with ID numbers, address, phone (revealed, audited)',
        params: IdParams,
        response: { 200: LeadPrefill },
      },
    },
    (req) => applicationPrefill(db, protector, req.params.id),
  );
  r.post(
    '/api/leads/:id/visits',
    {
      config: work,
      // Up to four photos of 2 MB each, base64-encoded.
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Record a visit (notes, photos, GPS, outcome); a retry with the same Idempotency-Key adds nothing',
        params: IdParams,
        headers: z.object({ 'idempotency-key': Text.min(1).max(100).optional() }),
        body: LeadVisitInput,
        response: { 201: LeadDetail },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordVisit(db, protector, req.params.id, req.body, req.headers['idempotency-key'])),
  );
  r.get(
    '/api/leads/:id/visits/:visitId/photos/:n',
    {
      config: read,
      schema: { tags, summary: 'One photo of a visit (JPEG or PNG)', params: PhotoParams },
    },
    async (req, reply) => {
      const photo = await getPhoto(db, req.params.id, req.params.visitId, req.params.n);
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(photo.bytes);
    },
  );
}
