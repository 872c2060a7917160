import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';

/**
 * Zod validation of every route, with one rule of our own: a request with no body at all (no
 * content type, nothing sent) is validated as an empty object. A route whose fields are all
 * optional then takes it as "the defaults", and a route with required fields names them, instead
 * of every route answering "body: expected object, received undefined".
 */
export const requestValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'body') return validate;
  return (data) => validate(data ?? {});
};
