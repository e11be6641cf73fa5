import fc from 'fast-check';

/**
 * Arbitrary strings of up to 60 units mixing any code point with the characters a format treats specially
 * (and a forged header), so properties meet the hard cases often, not by luck.
 */
export function hostileStrings(special: readonly string[]): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(fc.constantFrom(...special), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    maxLength: 60,
  });
}
