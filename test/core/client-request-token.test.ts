import { deriveClientRequestToken } from '../../functions/core/client-request-token';

describe('deriveClientRequestToken', () => {
  it('is deterministic and within the API limits of 32-128 characters', () => {
    const token = deriveClientRequestToken('object', ['route', 'bucket', 'key', 'sequencer:01']);
    expect(token).toBe(
      deriveClientRequestToken('object', ['route', 'bucket', 'key', 'sequencer:01']),
    );
    expect(token).toMatch(/^object-[0-9a-f]{64}$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token.length).toBeLessThanOrEqual(128);
  });

  it('keeps parts apart: moving a separator changes the token', () => {
    expect(deriveClientRequestToken('folder', ['a-b', 'c'])).not.toBe(
      deriveClientRequestToken('folder', ['a', 'b-c']),
    );
  });

  it('the kind is part of the token', () => {
    expect(deriveClientRequestToken('object', ['x'])).not.toBe(
      deriveClientRequestToken('folder', ['x']),
    );
  });

  it('refuses a kind that could push the token past 128 characters', () => {
    expect(() => deriveClientRequestToken('k'.repeat(64), ['x'])).toThrow(/Token kind/);
  });
});
