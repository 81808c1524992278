import { z } from 'zod';
import { mobileInput, timestamp } from './common';

export const otpRequestBody = z.object({ mobile: mobileInput }).strict().meta({ id: 'OtpRequest' });

export const otpRequested = z
  .object({ mobile: z.string(), expiresInSeconds: z.number().int() })
  .meta({ id: 'OtpRequested', example: { mobile: '+919876543210', expiresInSeconds: 300 } });

export const signInBody = z
  .object({
    mobile: mobileInput,
    otp: z
      .string()
      .regex(/^\d{4,6}$/, 'must be 4 to 6 digits')
      .meta({ example: '1234' }),
  })
  .strict()
  .meta({ id: 'SignIn' });

export const account = z.object({ id: z.string(), mobile: z.string(), createdAt: timestamp }).meta({
  id: 'Account',
  example: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', mobile: '+919876543210', createdAt: '2026-11-21T10:00:00.000Z' },
});

/** What every sign-in and refresh answers besides who signed in. */
export const sessionTokens = {
  token: z.string().meta({ description: 'Access token (JWT): send it as `Authorization: Bearer`; it expires after expiresIn seconds' }),
  refreshToken: z.string().meta({ description: 'Opaque; works once, at POST /auth/refresh, for the next pair' }),
  expiresIn: z.number().int().meta({ description: 'Seconds until `token` expires' }),
};
export const tokensExample = {
  token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VsbGVyIn0.signature',
  refreshToken: 'kS3x0jz8Cq1r1gD6mVZ7yQdHc2pTnW4eLb9uFa5oRiE',
  expiresIn: 900,
};

export const refreshBody = z
  .object({ refreshToken: z.string().max(200) })
  .strict()
  .meta({ id: 'RefreshRequest' });
export const refreshed = z.object(sessionTokens).meta({ id: 'Tokens', example: tokensExample });
export const logoutBody = z
  .object({ all: z.boolean().optional().meta({ description: 'true ends every session of the account, not only this one' }) })
  .strict()
  .meta({ id: 'LogoutRequest', example: { all: false } });

export const oidcBody = z
  .object({
    idToken: z
      .string()
      .min(1)
      .max(8192)
      .meta({ description: 'An ID token from the configured OpenID provider (OIDC_ISSUER), for OIDC_CLIENT_ID' }),
    mobile: mobileInput.optional(),
    otp: z
      .string()
      .regex(/^\d{4,6}$/, 'must be 4 to 6 digits')
      .optional(),
  })
  .strict()
  .meta({
    id: 'OidcSignIn',
    example: { idToken: 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tIn0.signature' },
  });

export const sellerSession = z.object({ ...sessionTokens, account }).meta({
  id: 'SellerSession',
  example: {
    ...tokensExample,
    account: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', mobile: '+919876543210', createdAt: '2026-11-21T10:00:00.000Z' },
  },
});
