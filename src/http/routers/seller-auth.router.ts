import type { Container } from '../../container';
import { otpRequestBody, otpRequested, sellerSession, signInBody } from '../../schemas/auth.schema';
import type { ApiRouter } from '../api-router';

export function mountSellerAuth(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/seller/auth/otp',
      tag: 'Seller auth',
      summary: "Send a sign-in OTP to a seller's mobile",
      description: 'Rate limited per mobile and per client IP (429 with Retry-After).',
      body: otpRequestBody,
      responses: { 202: { description: 'OTP sent', schema: otpRequested } },
      errors: [429, 503],
    },
    async ({ body, req }, res) => {
      res.status(202).json(await services.auth.requestOtp('seller', body.mobile, req.ip ?? 'unknown'));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/seller/auth',
      tag: 'Seller auth',
      summary: 'Sign in (or sign up) a seller with mobile and OTP',
      body: signInBody,
      responses: {
        200: { description: 'Signed in to an existing account', schema: sellerSession },
        201: { description: 'Account created', schema: sellerSession },
      },
      errors: [401, 429],
    },
    async ({ body, req }, res) => {
      const session = await services.auth.signInSeller(body.mobile, body.otp, req.ip ?? 'unknown');
      res.status(session.created ? 201 : 200).json({ token: session.token, account: presenter.account(session.user) });
    },
  );
}
