import { z } from 'zod';
import { IdSchema } from '../ids';
import { TimestampSchema } from '../time';
import { unknownFieldsError } from '../unknown-fields';
import { ApiKeyScopeSchema } from './api-keys';

export const SESSION_COOKIE = 'sw_session';
export const CSRF_HEADER = 'X-CSRF-Token';

export const EmailSchema = z
  .email({ error: 'must be an email address' })
  .max(254, { error: 'must be at most 254 characters' })
  .transform((email) => email.toLowerCase())
  .meta({ example: 'ada@example.com' });

export const PasswordSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(1024, { error: 'must be at most 1024 characters' });

export const NewPasswordSchema = PasswordSchema.min(12, {
  error: 'must be at least 12 characters',
});

export const SignInRequestSchema = z
  .strictObject({ email: EmailSchema, password: PasswordSchema }, { error: unknownFieldsError() })
  .meta({
    id: 'SignInRequest',
    description: 'Email and password of a user.',
    example: { email: 'ada@example.com', password: 'correct horse battery staple' },
  });

export const SessionSchema = z
  .object({
    user: z.object({ id: IdSchema, email: z.string(), role: z.enum(['owner', 'member']) }),
    accountId: IdSchema,
    scopes: z.array(ApiKeyScopeSchema),
    expiresAt: TimestampSchema,
    csrfToken: z.string().meta({
      description: `Send it as ${CSRF_HEADER} on every POST, PATCH and DELETE made with the session cookie.`,
    }),
  })
  .meta({ id: 'Session', description: 'The signed-in user and what the session may do.' });

export type SignInRequest = z.infer<typeof SignInRequestSchema>;
export type Session = z.infer<typeof SessionSchema>;
