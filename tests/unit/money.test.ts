import { decimalToPaise, MAX_RUPEES, paiseToDecimalString, paiseToRupees, rupeesToPaise } from '../../src/domain/money';

describe('money', () => {
  test.each([
    [499.5, 49950],
    [19.99, 1999],
    ['19.99', 1999],
    [0.01, 1],
    [10000000, 1_000_000_000],
    ['7', 700],
    [' 12.3 ', 1230],
  ])('rupees %p are exactly %p paise', (rupees, paise) => {
    expect(rupeesToPaise(rupees)).toBe(paise);
  });

  test.each([[0.001], [0.1 + 0.2], ['1.234'], ['abc'], [''], [-5], [Number.NaN], [Number.POSITIVE_INFINITY], ['1e3'], ['1,000']])(
    'when the amount %p has more than 2 decimals or is not a number, then it is refused',
    (value) => {
      expect(rupeesToPaise(value)).toBeNull();
    },
  );

  test('when 19.99 is added three times in paise, then the total is exact where floats drift', () => {
    const unit = rupeesToPaise(19.99)!;
    expect(paiseToRupees(unit + unit + unit)).toBe(59.97);
    expect(1.1 * 3).not.toBe(3.3);
    expect(paiseToRupees(rupeesToPaise(1.1)! * 3)).toBe(3.3);
    expect(paiseToRupees(rupeesToPaise(0.1)! * 3)).toBe(0.3);
  });

  test('paise become the very number their 2-decimal string parses to, up to the largest amount', () => {
    const amounts = [0, 1, 5, 10, 99, 100, 101, 999, 1_000_001, MAX_RUPEES * 100, MAX_RUPEES * 100 - 1, -120];
    for (let paise = 0; paise < 200_000; paise++) amounts.push(paise);
    // And 200,000 more spread over the whole range (a prime stride, so every last digit comes up).
    for (let paise = 7; paise < MAX_RUPEES * 100 * 99; paise += 495_049) amounts.push(paise);
    const wrong = amounts.filter((paise) => paiseToRupees(paise) !== Number(paiseToDecimalString(paise)));
    expect(wrong).toEqual([]);
  });

  test('decimal strings from PostgreSQL convert both ways', () => {
    expect(decimalToPaise('499.50')).toBe(49950);
    expect(decimalToPaise('7')).toBe(700);
    expect(decimalToPaise({ toFixed: () => '0.05' })).toBe(5);
    expect(decimalToPaise('-1.20')).toBe(-120);
    expect(paiseToDecimalString(49950)).toBe('499.50');
    expect(paiseToDecimalString(5)).toBe('0.05');
    expect(() => decimalToPaise('1.234')).toThrow(RangeError);
  });
});
