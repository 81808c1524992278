// A real OpenID provider for the tests: oidc-provider (a certified implementation), in-process on
// a loopback port. ID tokens come from a real authorization-code flow: /auth, an interaction that
// signs in the account the test names, the redirect with a code, and the token endpoint.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose' with { 'resolution-mode': 'import' };

export const CLIENT = { id: 'dukaan-app', secret: 'dukaan-app-secret' };
export const OTHER_CLIENT = { id: 'another-app', secret: 'another-app-secret' };

export interface TestAccount {
  sub: string;
  phone?: string;
  phoneVerified?: boolean;
}

export interface TestProvider {
  issuer: string;
  /** A real ID token for the account, for CLIENT (or another client of this provider). */
  idToken(account: TestAccount, client?: typeof CLIENT): Promise<string>;
  /** Publishes a new signing key (first in the set, so it signs from now on) and keeps the old one published. */
  rotateKeys(): Promise<void>;
  /** The private key that signs now (to make tokens the flow cannot: expired, HS256 with the public key). */
  signingKey(): JWK;
  close(): Promise<void>;
}

const REDIRECT_PATH = '/callback';

export async function startProvider(): Promise<TestProvider> {
  // Both are ESM-only; Jest loads them through dynamic import.
  const { default: Provider } = await import('oidc-provider');
  const jose = await import('jose');

  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${issuer}${REDIRECT_PATH}`;

  const newKey = async (): Promise<JWK> => {
    const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
    return { ...(await jose.exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  };
  let keys: JWK[] = [await newKey()];
  /** The account the next interaction signs in. */
  let next: TestAccount | null = null;
  const accounts = new Map<string, TestAccount>();

  const make = () =>
    new Provider(issuer, {
      clients: [CLIENT, OTHER_CLIENT].map((c) => ({
        client_id: c.id,
        client_secret: c.secret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      })),
      jwks: { keys: keys as never },
      // Claims asked for by scope go into the ID token itself (the app sends us only that).
      conformIdTokenClaims: false,
      claims: { openid: ['sub'], phone: ['phone_number', 'phone_number_verified'] },
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => {
          const a = accounts.get(sub)!;
          return { sub, ...(a.phone ? { phone_number: a.phone, phone_number_verified: a.phoneVerified === true } : {}) };
        },
      }),
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      pkce: { required: () => false },
      ttl: { Interaction: 600, Grant: 600, Session: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    });
  let provider = make();

  server.on('request', async (req, res) => {
    try {
      if (req.url?.startsWith('/interaction/')) {
        // The "login page": signs in the account the test chose and grants what was asked.
        const details = await provider.interactionDetails(req, res);
        const account = next!;
        const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id as string });
        grant.addOIDCScope(details.params.scope as string);
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.sub }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      provider.callback()(req, res);
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });

  /** Follows the provider's redirects with the cookies it sets, until it redirects to the app with a code. */
  async function authorize(client: typeof CLIENT): Promise<string> {
    const cookies = new Map<string, string>();
    let url = `${issuer}/auth?${new URLSearchParams({
      client_id: client.id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid phone',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
    })}`;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const set of res.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const [name, ...value] = pair!.split('=');
        cookies.set(name!.trim(), value.join('='));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${await res.text()}`);
      const target = new URL(location, url);
      if (target.pathname === REDIRECT_PATH) {
        const code = target.searchParams.get('code');
        if (!code) throw new Error(`no code: ${target.search}`);
        return code;
      }
      url = target.toString();
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    async idToken(account, client = CLIENT) {
      accounts.set(account.sub, account);
      next = account;
      const code = await authorize(client);
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: client.id,
          client_secret: client.secret,
        }),
      });
      const body = (await res.json()) as { id_token?: string };
      if (!body.id_token) throw new Error(`no id_token: ${JSON.stringify(body)}`);
      return body.id_token;
    },
    async rotateKeys() {
      keys = [await newKey(), ...keys];
      provider = make();
    },
    signingKey: () => keys[0]!,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
