import { excerpt, priceAmount, rupees } from '../../src/web/format';

describe('how the storefront writes money and text', () => {
  test.each([
    [1299.5, '₹1,299.50'],
    [123456.75, '₹1,23,456.75'],
    [10000000, '₹1,00,00,000.00'],
    [0.5, '₹0.50'],
    [99, '₹99.00'],
  ])('rupees(%p) is %p (Indian digit grouping)', (amount, text) => {
    expect(rupees(amount)).toBe(text);
  });

  test('the price amount of a link preview is a plain decimal with two places', () => {
    expect([priceAmount(1299.5), priceAmount(99), priceAmount(0.05)]).toEqual(['1299.50', '99.00', '0.05']);
  });

  test('an excerpt folds whitespace and cuts on a word near the limit, or mid-word when there is none', () => {
    expect(excerpt('  Fresh\n\nmangoes  from   Ratnagiri ')).toBe('Fresh mangoes from Ratnagiri');
    const long = `${'word '.repeat(50)}end`;
    const cut = excerpt(long, 40);
    expect([...cut].length).toBeLessThanOrEqual(40);
    expect(cut).toMatch(/word…$/);
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    // Whole code points: a Devanagari name is never cut inside a character.
    expect([...excerpt('नमस्ते'.repeat(40), 20)].length).toBe(20);
  });
});
