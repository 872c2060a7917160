import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';

export function trackingRoutes(_app: FastifyInstance, _deps: AppDeps) {}
