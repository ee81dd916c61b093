import type { FastifyError, FastifyInstance } from 'fastify';
import { DaobanError, Errors, isDaobanError } from '../errors/catalogue.ts';

/** Turns every failure into `{ error: { code, message } }` with the catalogue's status; never leaks a stack. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DaobanError, req, reply) => {
    if (isDaobanError(err)) {
      reply.status(err.statusCode).send(err.toJSON());
      return;
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const v = fe.validation[0];
      const field = (v?.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
        (v?.params && 'missingProperty' in v.params ? String(v.params.missingProperty) : '') || fe.validationContext || 'body';
      const e = DaobanError.create('INVALID_FIELD', field, v?.message ?? 'is invalid');
      reply.status(400).send(e.toJSON());
      return;
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      reply.status(400).send(new DaobanError(Errors.INVALID_JSON, Errors.INVALID_JSON.message).toJSON());
      return;
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      reply.status(fe.statusCode).send({ error: { code: fe.code ?? 'DB_BAD_REQUEST', message: fe.message } });
      return;
    }
    req.log.error({ err }, 'unhandled error');
    reply.status(500).send(new DaobanError(Errors.INTERNAL, Errors.INTERNAL.message).toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(DaobanError.create('NOT_FOUND', `Route ${req.method} ${req.url.split('?')[0]}`).toJSON());
  });
}
