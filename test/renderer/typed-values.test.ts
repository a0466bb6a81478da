import { describe, expect, it } from 'vitest';
import { yuanTextToFen, yuanTyping } from '../../renderer/components/typed-values.ts';

describe('yuan typed into the forms', () => {
  it.each([
    ['19.99', 1999],
    ['1,200', 120000],
    ['1,234,567.5', 123456750],
    ['１２．５', 1250],
    ['1，200', 120000],
    [' 300 ', 30000],
  ])('%s is %i fen', (text, fen) => {
    expect(yuanTextToFen(text)).toBe(fen);
  });

  it.each(['19,99', '1,2', '12,34.5', '1,2000', '19.999', '-5'])(
    '%s is not an amount (never read 100 times too large)',
    (text) => {
      expect(yuanTextToFen(text)).toBeNull();
    },
  );

  it('the box keeps a comma that is no thousands separator, so the form refuses what it would misread', () => {
    expect(yuanTyping('19,99')).toBe('19,99');
    expect(yuanTextToFen(yuanTyping('19,99'))).toBeNull();
    expect(yuanTyping('1,200')).toBe('1200');
    expect(yuanTyping('¥１２。５')).toBe('12.5');
  });
});
