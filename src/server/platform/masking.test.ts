import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, maskText } from './masking.js';

describe('masking personal data', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('john.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('x@y.io')).toBe('x***@y.io');
    // the last @ splits local part and domain
    expect(maskEmail('"a@b"@example.com')).toBe('"***@example.com');
  });

  it('hides an email with no local part or no @ completely', () => {
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('not-an-email')).toBe('***');
  });

  it('passes empty values through', () => {
    expect(maskEmail(null)).toBeNull();
    expect(maskEmail('')).toBe('');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBe('');
    expect(maskText(null)).toBeNull();
    expect(maskText('')).toBe('');
  });

  it('shows only the last two digits of a phone', () => {
    expect(maskPhone('+1 (555) 010-0199')).toBe('***99');
    expect(maskPhone('+44 20 7946 0958')).toBe('***58');
  });

  it('replaces any other text with stars', () => {
    expect(maskText('221B Baker Street')).toBe('***');
  });
});
