// withPatience is how the session check decides that Redis is slow (then it asks PostgreSQL and
// leaves Redis alone for a while). Under load one turn of the event loop can outlast the
// patience: a reply that is already in the socket must still count, or a healthy Redis reads as a
// slow one and every request goes to PostgreSQL. Redis here is the real one, in its own process,
// so its reply arrives while this process is busy.
import { Redis } from 'ioredis';
import { withPatience } from '../../src/services/patience';

let redis: Redis;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  await redis.ping();
});

afterAll(async () => {
  await redis.quit();
});

/** Keeps the event loop busy, as a burst of requests does. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

test('a reply that came while the loop was busy past the patience counts', async () => {
  const answer = withPatience(redis.ping('here'), 20);
  busy(100); // Redis answers meanwhile; the timer is overdue when the loop frees
  await expect(answer).resolves.toBe('here');
});

test('an answer that does not come is null once the patience is over', async () => {
  const started = Date.now();
  await expect(withPatience(new Promise<string>(() => undefined), 30)).resolves.toBeNull();
  expect(Date.now() - started).toBeGreaterThanOrEqual(29);
});

test('a rejection in time is the caller’s; one after the patience is dropped', async () => {
  await expect(withPatience(Promise.reject(new Error('refused')), 50)).rejects.toThrow('refused');
  const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('late')), 40));
  await expect(withPatience(late, 10)).resolves.toBeNull();
});
