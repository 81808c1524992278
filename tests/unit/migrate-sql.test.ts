import { managesOwnTransaction } from '../../src/db/migrate';

describe('which migration files manage their own transaction', () => {
  test('a file with its own BEGIN/COMMIT, or CONCURRENTLY, does', () => {
    expect(managesOwnTransaction('BEGIN;\nALTER TABLE a ADD b int;\nCOMMIT;')).toBe(true);
    expect(managesOwnTransaction('CREATE INDEX CONCURRENTLY a_b ON a (b);')).toBe(true);
  });

  test('BEGIN in a comment or inside a function body does not count', () => {
    expect(managesOwnTransaction('-- BEGIN here is a word\nALTER TABLE a ADD b int;')).toBe(false);
    const fn = 'CREATE FUNCTION f() RETURNS int\nLANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;';
    expect(managesOwnTransaction(fn)).toBe(false);
    expect(managesOwnTransaction(fn.replace(/\$\$/g, '$body$'))).toBe(false);
  });
});
