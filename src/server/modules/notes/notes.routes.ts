import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';

/** Routes of the notes module (issue 4): filled in as the module lands. */
export function noteRoutes(_app: FastifyInstance, _deps: AppDeps) {}
