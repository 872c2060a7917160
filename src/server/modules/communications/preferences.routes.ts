import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';

export function communicationPreferenceRoutes(_app: FastifyInstance, _deps: AppDeps) {}
