import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Region, RegionCode, RegionList, RegionSearchQuery, RegionSearchResult } from '@jiuzhu/shared';
import { getRegion, listChildren, searchRegions } from './service';

const CodeParams = z.strictObject({ code: RegionCode });

export default async function regionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const config = { access: 'staff' as const };
  const tags = ['regions'];

  // Declared before /:code so "search" is not taken for a code.
  r.get(
    '/api/regions/search',
    {
      config,
      schema: {
        tags,
        summary: 'Regions in the caller’s subtree by name',
        querystring: RegionSearchQuery,
        response: { 200: RegionSearchResult },
      },
    },
    async (req) => ({
      items: await searchRegions(db, req.query.q, req.query.limit),
    }),
  );
  r.get(
    '/api/regions/:code',
    { config, schema: { tags, summary: 'One region', params: CodeParams, response: { 200: Region } } },
    (req) => getRegion(db, req.params.code),
  );
  r.get(
    '/api/regions/:code/children',
    {
      config,
      schema: { tags, summary: 'The direct children of a region', params: CodeParams, response: { 200: RegionList } },
    },
    async (req) => ({
      items: await listChildren(db, req.params.code),
    }),
  );
}
