import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../db/prisma';
import { UnauthorizedError } from '../domain/errors';
import type { Prisma } from '../generated/prisma/client';
import type { Claims, Role, TokenService } from './token.service';
import { withPatience } from './patience';

type Tx = Prisma.TransactionClient;

/** What a sign-in or a refresh answers: a short-lived access token, the next refresh token, and when the first expires. */
export interface SessionTokens {
  token: string;
  refreshToken: string;
  /** Seconds until `token` expires. */
  expiresIn: number;
}

/** 256 random bits, base64url: unguessable, and only its hash is stored. */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ended = (sid: string) => `session:ended:${sid}`;
const hashOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('hex');

/** How long a session check waits for Redis before asking PostgreSQL, and how long it then leaves Redis alone. */
const REDIS_PATIENCE_MS = 75;
const REDIS_REST_MS = 3_000;

const NOT_VALID = () => new UnauthorizedError('The refresh token is unknown, expired or already used.');
const SESSION_ENDED = () => new UnauthorizedError('This session has ended. Sign in again.');

/**
 * Sessions: every sign-in makes one (PostgreSQL), access tokens name it (`sid`), and refresh
 * tokens renew it, each once (rotation). A refresh token presented a second time is what a stolen,
 * replayed token looks like: the whole session ends (RFC 9700, §4.14.2).
 *
 * Checking a session on every request costs one Redis read, not a query: ending a session writes
 * `session:ended:<sid>` to Redis, where every instance sees it, for as long as an access token of
 * it could still be valid (ACCESS_TOKEN_TTL). If Redis cannot answer, the check asks PostgreSQL
 * instead, so an outage neither lets an ended session in nor locks every seller out.
 */
export class SessionService {
  /** Until then the session check does not ask Redis (it just failed to answer). */
  private redisRestsUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly tokens: TokenService,
    private readonly refreshTtlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** A new session for a signed-in account or customer, inside the sign-in's transaction when it has one. */
  async start(role: Role, subjectId: string, tx: Tx | Db = this.db): Promise<SessionTokens> {
    const session = await tx.session.create({ data: { role, subjectId }, select: { id: true } });
    const refreshToken = await this.newRefreshToken(tx, session.id);
    return this.answer({ sub: subjectId, role, sid: session.id }, refreshToken);
  }

  /** The next access and refresh tokens; the one presented stops working. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    if (!REFRESH_TOKEN.test(refreshToken)) throw NOT_VALID();
    type Outcome = { kind: 'refused' } | { kind: 'replayed'; sid: string } | { kind: 'renewed'; claims: Claims; next: string };
    const outcome = await this.db.$transaction(async (tx): Promise<Outcome> => {
      // The row lock makes two uses of one token take turns: the second sees it used.
      const rows = await tx.$queryRaw<
        Array<{ session_id: string; expires_at: Date; used_at: Date | null; ended_at: Date | null; role: Role; subject_id: string }>
      >`
        SELECT t.session_id, t.expires_at, t.used_at, s.ended_at, s.role, s.subject_id
        FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.hash = ${hashOf(refreshToken)}
        FOR UPDATE OF t`;
      const row = rows[0];
      if (!row || row.ended_at) return { kind: 'refused' };
      if (row.used_at) {
        await tx.session.update({ where: { id: row.session_id }, data: { endedAt: new Date() } });
        return { kind: 'replayed', sid: row.session_id };
      }
      if (row.expires_at.getTime() <= Date.now()) return { kind: 'refused' };
      await tx.refreshToken.update({ where: { hash: hashOf(refreshToken) }, data: { usedAt: new Date() } });
      const next = await this.newRefreshToken(tx, row.session_id);
      return { kind: 'renewed', claims: { sub: row.subject_id, role: row.role, sid: row.session_id }, next };
    });
    if (outcome.kind === 'replayed') {
      this.logger.warn({ sid: outcome.sid }, 'a used refresh token was presented again: the session is ended');
      await this.forget([outcome.sid]);
    }
    if (outcome.kind !== 'renewed') throw NOT_VALID();
    return this.answer(outcome.claims, outcome.next);
  }

  /** Logout: this session, or every session of the caller's account. */
  async end(claims: Claims, all: boolean): Promise<void> {
    const where = all ? { role: claims.role, subjectId: claims.sub, endedAt: null } : { id: claims.sid, endedAt: null };
    const sids = (await this.db.session.updateManyAndReturn({ where, data: { endedAt: new Date() }, select: { id: true } })).map(
      (s) => s.id,
    );
    // The caller's own session even when PostgreSQL had it ended already (a retried logout).
    await this.forget([...new Set([...sids, claims.sid])]);
  }

  /** Ends every session of an account or customer inside the caller's transaction; `forget` them after it commits. */
  async endAllIn(tx: Tx, role: Role, subjectId: string): Promise<string[]> {
    const ended = await tx.session.updateManyAndReturn({
      where: { role, subjectId, endedAt: null },
      data: { endedAt: new Date() },
      select: { id: true },
    });
    return ended.map((s) => s.id);
  }

  /** Every session of a subject, ended or not (a retried account deletion forgets them again). */
  async allOf(role: Role, subjectId: string): Promise<string[]> {
    return (await this.db.session.findMany({ where: { role, subjectId }, select: { id: true } })).map((s) => s.id);
  }

  /** Makes ended sessions' access tokens 401 on every instance, from the next request on. */
  async forget(sids: string[]): Promise<void> {
    if (sids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const sid of sids) pipeline.set(ended(sid), '1', 'EX', this.tokens.ttlSeconds + 60);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis did not answer');
  }

  /** The claims of a bearer token whose session lives: what every authenticated request asks. */
  async authenticate(token: string): Promise<Claims> {
    const claims = this.tokens.verify(token);
    const isEnded = (await this.endedInRedis(claims.sid)) ?? (await this.endedInPostgres(claims.sid));
    if (isEnded) throw SESSION_ENDED();
    return claims;
  }

  /**
   * Redis's word, or null when it cannot give it quickly. An unreachable Redis costs the first
   * request REDIS_PATIENCE_MS, and for REDIS_REST_MS after that the check goes straight to
   * PostgreSQL: a request that also needs Redis (a cart, checkout) still fails fast with 503.
   */
  private async endedInRedis(sid: string): Promise<boolean | null> {
    if (Date.now() < this.redisRestsUntil) return null;
    try {
      const answer = await withPatience(this.redis.exists(ended(sid)), REDIS_PATIENCE_MS);
      if (answer !== null) return answer === 1;
    } catch {
      // unreachable: as for a timeout
    }
    this.redisRestsUntil = Date.now() + REDIS_REST_MS;
    return null;
  }

  private async endedInPostgres(sid: string): Promise<boolean> {
    const session = await this.db.session.findUnique({ where: { id: sid }, select: { endedAt: true } });
    return !session || session.endedAt !== null;
  }

  private async newRefreshToken(tx: Tx | Db, sessionId: string): Promise<string> {
    const refreshToken = randomBytes(32).toString('base64url');
    await tx.refreshToken.create({
      data: { hash: hashOf(refreshToken), sessionId, expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000) },
    });
    return refreshToken;
  }

  private answer(claims: Claims, refreshToken: string): SessionTokens {
    return { token: this.tokens.issue(claims), refreshToken, expiresIn: this.tokens.ttlSeconds };
  }
}
