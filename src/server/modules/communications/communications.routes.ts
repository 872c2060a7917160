import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';

export function communicationRoutes(_app: FastifyInstance, _deps: AppDeps) {}
