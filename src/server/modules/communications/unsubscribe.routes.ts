import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';

export function unsubscribeRoutes(_app: FastifyInstance, _deps: AppDeps) {}
