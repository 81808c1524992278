import type { Container } from '../../container';
import { logoutBody, refreshBody, refreshed } from '../../schemas/auth.schema';
import type { ApiRouter } from '../api-router';

export function mountSessions(api: ApiRouter, { services }: Container): void {
  api.route(
    {
      method: 'post',
      path: '/auth/refresh',
      tag: 'Sessions',
      summary: 'Trade a refresh token for a new access token and the next refresh token',
      description:
        'A refresh token works once. Presenting one that was already used is 401 and ends its whole session ' +
        '(every token issued from it): that is what a stolen, replayed token looks like.',
      body: refreshBody,
      responses: { 200: { description: 'The next tokens', schema: refreshed } },
      errors: [401],
    },
    async ({ body }, res) => {
      res.json(await services.sessions.refresh(body.refreshToken));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/logout',
      tag: 'Sessions',
      summary: 'End this session (or every session of the account, with { all: true })',
      description: 'The access token and its refresh token are 401 from the next request on, on every instance.',
      auth: 'any',
      body: logoutBody,
      responses: { 204: { description: 'Signed out' } },
    },
    async ({ auth, body }, res) => {
      await services.sessions.end(auth, body?.all === true);
      res.status(204).end();
    },
  );
}
