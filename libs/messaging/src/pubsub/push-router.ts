import { PROBLEM_CONTENT_TYPE, problemTypes } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { createPushTokenVerifier, type PushAuthOptions } from './push-auth';

/** The message part of a push request, decoded. */
export interface PushedMessage {
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
  /** Present when the subscription has a dead-letter policy; 1 on the first delivery. */
  deliveryAttempt?: number;
}

export type PushResult = 'ack' | 'retry' | 'unknown-subscription' | 'stopping';

/** What the router hands decoded messages to (the Pub/Sub messaging instance). */
export interface PushReceiver {
  receivePush(subscription: string, message: PushedMessage): Promise<PushResult>;
}

export interface PushRouterOptions {
  /** Verify each request's OIDC token; omit only where nothing but Pub/Sub can reach the service. */
  auth?: PushAuthOptions;
  /** Largest accepted request body; Pub/Sub messages are at most 10 MB before base64. Default `14mb`. */
  bodyLimit?: string;
  logger: Logger;
}

export const PUSH_PATH = '/pubsub/push/:subscription';

function problem(res: Response, status: number, type: string, title: string, detail?: string) {
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ type, title, status, ...(detail ? { detail } : {}) }));
}

/** Decodes Pub/Sub's wrapped push body; undefined when it is not one. */
export function decodePushEnvelope(body: unknown): PushedMessage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, deliveryAttempt } = body as { message?: unknown; deliveryAttempt?: unknown };
  if (typeof message !== 'object' || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  const messageId = fields.messageId ?? fields.message_id;
  if (typeof messageId !== 'string' || messageId === '') return undefined;
  const data = fields.data ?? '';
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) return undefined;
  const attributes: Record<string, string> = {};
  if (fields.attributes !== undefined) {
    if (typeof fields.attributes !== 'object' || fields.attributes === null) return undefined;
    for (const [key, value] of Object.entries(fields.attributes)) {
      if (typeof value !== 'string') return undefined;
      attributes[key] = value;
    }
  }
  return {
    data: Buffer.from(data, 'base64'),
    attributes,
    messageId,
    ...(typeof deliveryAttempt === 'number' &&
    Number.isInteger(deliveryAttempt) &&
    deliveryAttempt > 0
      ? { deliveryAttempt }
      : {}),
  };
}

/**
 * `POST /pubsub/push/:subscription` for Pub/Sub push subscriptions. 204 acks (handled, or an
 * invalid payload already forwarded to the dead-letter topic); 500 makes Pub/Sub redeliver with
 * backoff and dead-letter after the subscription's maximum attempts; 503 while shutting down;
 * 401 for a missing or invalid token, 403 for a valid token of another audience or account.
 */
export function createPushRouter(
  receiver: PushReceiver,
  options: PushRouterOptions,
): express.Router {
  const router = express.Router();
  const verify = options.auth ? createPushTokenVerifier(options.auth) : undefined;
  const logger = options.logger;

  const authenticate: RequestHandler = (req, res, next) => {
    if (!verify) return next();
    verify(req.get('authorization')).then((result) => {
      if (result.ok) return next();
      logger.warn('Rejected a push request', { status: result.status, reason: result.reason });
      if (result.status === 401) res.set('WWW-Authenticate', 'Bearer');
      problem(
        res,
        result.status,
        'about:blank',
        result.status === 401 ? 'Unauthorized' : 'Forbidden',
        result.status === 401 ? 'A valid Google OIDC bearer token is required.' : undefined,
      );
    }, next);
  };

  const receive: RequestHandler<{ subscription: string }> = (req, res, next) => {
    const message = decodePushEnvelope(req.body);
    if (!message) {
      problem(res, 400, problemTypes.badRequest, 'Bad request', 'Not a Pub/Sub push envelope.');
      return;
    }
    receiver.receivePush(req.params.subscription, message).then((result) => {
      switch (result) {
        case 'ack':
          res.status(204).end();
          return;
        case 'retry':
          problem(
            res,
            500,
            problemTypes.internal,
            'Internal server error',
            'Handler failed; retry.',
          );
          return;
        case 'stopping':
          problem(res, 503, problemTypes.serviceUnavailable, 'Service unavailable');
          return;
        case 'unknown-subscription':
          problem(
            res,
            404,
            problemTypes.notFound,
            'Not found',
            'No handler for this subscription.',
          );
          return;
      }
    }, next);
  };

  const badBody: ErrorRequestHandler = (
    error: { type?: string; status?: number },
    _req,
    res,
    next,
  ) => {
    if (error.type === 'entity.parse.failed')
      return problem(res, 400, problemTypes.malformedJson, 'Malformed JSON');
    if (error.type === 'entity.too.large')
      return problem(res, 413, problemTypes.payloadTooLarge, 'Payload too large');
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported')
      return problem(res, 415, problemTypes.unsupportedMediaType, 'Unsupported media type');
    next(error);
  };

  router.post(
    PUSH_PATH,
    authenticate,
    express.json({ limit: options.bodyLimit ?? '14mb', type: () => true }),
    receive,
    badBody,
  );
  return router;
}
