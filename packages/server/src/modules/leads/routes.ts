import type { FastifyInstance } from 'fastify';

export default async function leadsRoutes(app: FastifyInstance) {
  void app;
}
