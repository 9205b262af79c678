import type { FastifyInstance } from 'fastify';

export default async function collisionRoutes(app: FastifyInstance) {
  void app;
}
