import type { FastifyInstance } from 'fastify';

export default async function exchangeRoutes(app: FastifyInstance) {
  void app;
}
