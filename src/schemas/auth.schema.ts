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

export const sellerSession = z.object({ token: z.string(), account }).meta({
  id: 'SellerSession',
  example: {
    token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VsbGVyIn0.signature',
    account: { id: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', mobile: '+919876543210', createdAt: '2026-11-21T10:00:00.000Z' },
  },
});
