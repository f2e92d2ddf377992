/** Zod schemas for accounts: the API validates with them and OpenAPI is generated from them. */
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

/**
 * An email address: a local part and a domain of one or more labels. Single-label domains are
 * allowed on purpose: a self-hosted instance's first admin is `admin@localhost`.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .regex(
    /^[^\s@"(),:;<>[\\\]]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
    {
      message: 'must be an email address',
    },
  );
export const userNameSchema = z.string().trim().min(1).max(200);
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
export const idSchema = z.uuid();

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserDto = z.infer<typeof userSchema>;

/** One's own account: the user, and when they are away (the Fix Lead rotation skips them then). */
export const meSchema = userSchema.extend({
  unavailableFrom: z.string().nullable(),
  unavailableUntil: z.string().nullable(),
});

/** How far ahead an absence may be set. */
export const AVAILABILITY_MAX_DAYS_AHEAD = 730;
/** When one is away: either end may be open (null); both null means available. */
export const availabilityBody = z.object({
  unavailableFrom: z.iso.datetime({ offset: true }).nullable(),
  unavailableUntil: z.iso.datetime({ offset: true }).nullable(),
});

export const sessionUserSchema = userSchema.pick({ id: true, email: true, name: true, isAdmin: true });

/** A TOTP code: six digits. */
export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'must be the six digits your app shows');
export const signInBody = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX),
  totp: totpCodeSchema
    .optional()
    .describe('A current code, when the account has two-factor sign-in: signs in with two factors at once.'),
});
export const SECOND_FACTOR_METHODS = ['totp', 'recovery', 'passkey'] as const;
/** A sign-in whose first step is done: answer the challenge with a second factor. */
export const secondFactorResponse = z.object({
  secondFactor: z.object({
    challenge: z.string(),
    methods: z.array(z.enum(SECOND_FACTOR_METHODS)),
    expiresAt: z.string(),
  }),
});
export const secondFactorBody = z
  .object({
    challenge: z.string().min(10).max(200),
    totp: totpCodeSchema.optional(),
    recoveryCode: z.string().trim().min(8).max(40).optional(),
  })
  .refine((b) => (b.totp === undefined) !== (b.recoveryCode === undefined), {
    message: 'give either totp or recoveryCode',
    path: ['totp'],
  });
export const totpStartSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export const totpConfirmBody = z.object({ code: totpCodeSchema });
export const totpDisableBody = z
  .object({
    code: totpCodeSchema.optional(),
    recoveryCode: z.string().trim().min(8).max(40).optional(),
    password: z.string().min(1).max(PASSWORD_MAX).optional(),
  })
  .refine((b) => [b.code, b.recoveryCode, b.password].filter((v) => v !== undefined).length === 1, {
    message: 'give one of code, recoveryCode or password',
    path: ['code'],
  });
export const twoFactorStatusSchema = z.object({
  totp: z.enum(['off', 'pending', 'on']),
  recoveryCodesLeft: z.number(),
  methods: z.array(z.enum(SECOND_FACTOR_METHODS)),
});
/** The session's strength, and the projects that ask the person for two factors. */
export const sessionTwoFactorSchema = z.object({
  factors: z.union([z.literal(1), z.literal(2)]),
  requiredBy: z.array(z.object({ slug: z.string(), name: z.string() })),
});
export const signInLinkBody = z.object({ token: z.string().min(10).max(200), password: passwordSchema });
export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newPassword: passwordSchema,
});

export const createUserBody = z.object({
  email: emailSchema,
  name: userNameSchema,
  isAdmin: z.boolean().default(false),
});
export const updateUserBody = z
  .object({
    name: userNameSchema.optional(),
    isAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const TOKEN_MAX_DAYS = 365;
export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(TOKEN_MAX_DAYS).default(90),
});
export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
