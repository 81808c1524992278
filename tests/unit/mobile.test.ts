import { normaliseMobile } from '../../src/domain/mobile';
import { randomMobile } from '../helpers/factories';

describe('normaliseMobile', () => {
  test.each(['9876543210', '+919876543210', '09876543210', '+91 98765 43210', '+91-98765-43210', '(+91) 98765 43210'])(
    'when given %p, then it is +919876543210',
    (input) => {
      expect(normaliseMobile(input, 'IN')).toBe('+919876543210');
    },
  );

  test('a number with its own country code keeps it', () => {
    expect(normaliseMobile('+1 202 555 0143', 'IN')).toBe('+12025550143');
  });

  test.each(['12345', '98765432101', 'abcdefghij', '', '+91', '9'.repeat(40)])('when given %p, then it is not a number', (input) => {
    expect(normaliseMobile(input, 'IN')).toBeNull();
  });

  test('the test factory only makes valid mobiles', () => {
    for (let i = 0; i < 500; i++) expect(normaliseMobile(randomMobile(), 'IN')).toMatch(/^\+919\d{9}$/);
  });
});
