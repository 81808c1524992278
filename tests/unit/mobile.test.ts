import { checkMobile } from '../../src/domain/mobile';
import { randomMobile } from '../helpers/factories';

const india = (input: string) => checkMobile(input, 'IN', ['IN']);

describe('checkMobile', () => {
  test.each(['9876543210', '+919876543210', '09876543210', '+91 98765 43210', '+91-98765-43210', '(+91) 98765 43210'])(
    'when given %p, then it is +919876543210',
    (input) => {
      expect(india(input)).toEqual({ mobile: '+919876543210' });
    },
  );

  test('a number with its own country code keeps it, when its region is allowed', () => {
    expect(checkMobile('+1 202 555 0143', 'IN', ['IN', 'US'])).toEqual({ mobile: '+12025550143' });
    expect(india('+1 202 555 0143')).toEqual({ refused: 'region' });
  });

  test.each(['12345', '98765432101', 'abcdefghij', '', '+91', '9'.repeat(40)])('when given %p, then it is not a number', (input) => {
    expect(india(input)).toEqual({ refused: 'invalid' });
  });

  test.each([
    ['+979123456789', 'international premium rate', 'region'],
    ['+881612345678', 'satellite', 'region'],
    ['+449098790000', 'UK premium rate', 'region'],
    ['+18002345678', 'US toll-free', 'region'],
  ])('%p (%s) is refused when only India is allowed', (input, _kind, refused) => {
    expect(india(input)).toEqual({ refused });
  });

  test.each([
    ['+449098790000', 'GB', 'UK premium rate'],
    ['+18002345678', 'US', 'US toll-free'],
    ['+911123456789', 'IN', 'an Indian landline'],
  ])('%p is not a mobile even where its region (%s) is allowed: %s', (input, region) => {
    expect(checkMobile(input, 'IN', ['IN', region as 'IN'])).toEqual({ refused: 'not-mobile' });
  });

  test('the test factory only makes valid Indian mobiles', () => {
    for (let i = 0; i < 500; i++) expect(india(randomMobile())).toEqual({ mobile: expect.stringMatching(/^\+919\d{9}$/) });
  });
});
