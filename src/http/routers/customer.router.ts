import type { Container } from '../../container';
import { oidcBody, otpRequestBody, otpRequested, signInBody } from '../../schemas/auth.schema';
import { customer, customerSession, updateCustomerBody } from '../../schemas/customer.schema';
import type { ApiRouter } from '../api-router';
import { OIDC_DESCRIPTION } from './seller-auth.router';

export function mountCustomer(api: ApiRouter, { services, presenter }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/customer/auth/otp',
      tag: 'Customer',
      summary: "Send a sign-in OTP to a buyer's mobile",
      description: 'Rate limited per mobile and per client IP (429 with Retry-After).',
      body: otpRequestBody,
      responses: { 202: { description: 'OTP sent', schema: otpRequested } },
      errors: [429, 503],
    },
    async ({ body, req }, res) => {
      res.status(202).json(await services.auth.requestOtp('customer', body.mobile, req.ip ?? 'unknown'));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/customer/auth',
      tag: 'Customer',
      summary: 'Sign in (or sign up) a buyer with mobile and OTP',
      body: signInBody,
      responses: {
        200: { description: 'Signed in as an existing customer', schema: customerSession },
        201: { description: 'Customer created', schema: customerSession },
      },
      errors: [401, 429],
    },
    async ({ body, req }, res) => {
      const signIn = await services.auth.signInCustomer(body.mobile, body.otp, req.ip ?? 'unknown');
      res.status(signIn.created ? 201 : 200).json({ ...signIn.tokens, customer: presenter.customer(signIn.user) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/customer/auth/oidc',
      tag: 'Customer',
      summary: 'Sign in (or sign up) a buyer with an ID token from the configured OpenID provider',
      description: OIDC_DESCRIPTION,
      body: oidcBody,
      responses: {
        200: { description: 'Signed in as an existing customer', schema: customerSession },
        201: { description: 'Customer created', schema: customerSession },
      },
      errors: [401, 404, 429, 503],
    },
    async ({ body, req }, res) => {
      const signIn = await services.oidc.signInCustomer(body, req.ip ?? 'unknown');
      res.status(signIn.created ? 201 : 200).json({ ...signIn.tokens, customer: presenter.customer(signIn.user) });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/customer/me',
      tag: 'Customer',
      summary: "Delete the customer's account",
      description:
        'Refused (409) while an order is open (PENDING, ACCEPTED or SHIPPED). Every session ends; name, mobile and saved ' +
        "address are erased, and so is the address on past orders. Sellers keep the orders' lines, totals and status. " +
        'Signing in again with the mobile makes a new customer.',
      auth: 'customer',
      responses: { 204: { description: 'Deleted' } },
      errors: [409],
    },
    async ({ auth }, res) => {
      await services.accountDeletion.deleteCustomer(auth.sub);
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/customer/me',
      tag: 'Customer',
      summary: 'The signed-in customer',
      auth: 'customer',
      responses: { 200: { description: 'The customer', schema: customer } },
      errors: [404],
    },
    async ({ auth }, res) => {
      res.json(presenter.customer(await services.customers.get(auth.sub)));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/customer/me',
      tag: 'Customer',
      summary: 'Change name or saved address',
      auth: 'customer',
      description: 'The saved address is used for orders placed without one. null clears a field.',
      body: updateCustomerBody,
      responses: { 200: { description: 'The customer', schema: customer } },
      errors: [404],
    },
    async ({ auth, body }, res) => {
      res.json(presenter.customer(await services.customers.update(auth.sub, body)));
    },
  );
}
