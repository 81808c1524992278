import type { Container } from '../../container';
import { oidcBody, otpRequestBody, otpRequested, sellerSession, signInBody } from '../../schemas/auth.schema';
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
      const signIn = await services.auth.signInSeller(body.mobile, body.otp, req.ip ?? 'unknown');
      res.status(signIn.created ? 201 : 200).json({ ...signIn.tokens, account: presenter.account(signIn.user) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/seller/auth/oidc',
      tag: 'Seller auth',
      summary: 'Sign in (or sign up) a seller with an ID token from the configured OpenID provider',
      description: OIDC_DESCRIPTION,
      body: oidcBody,
      responses: {
        200: { description: 'Signed in to an existing account', schema: sellerSession },
        201: { description: 'Account created', schema: sellerSession },
      },
      errors: [401, 404, 429, 503],
    },
    async ({ body, req }, res) => {
      const signIn = await services.oidc.signInSeller(body, req.ip ?? 'unknown');
      res.status(signIn.created ? 201 : 200).json({ ...signIn.tokens, account: presenter.account(signIn.user) });
    },
  );
}

export const OIDC_DESCRIPTION =
  "Only when OIDC_ISSUER and OIDC_CLIENT_ID are set (else 404). The ID token must be signed by the issuer's current keys " +
  '(asymmetric algorithms only), name OIDC_CLIENT_ID as audience and be unexpired (else 401). The first sign-in of an ' +
  "identity (iss, sub) links it to the account of its mobile: the token's phone_number when phone_number_verified is " +
  'true, else `mobile` and `otp` from the body, checked as the OTP sign-in checks them (neither: 400 naming mobile).';
