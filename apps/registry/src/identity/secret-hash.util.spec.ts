import {
  SCRYPT_PARAMS,
  hashSecret,
  needsRehash,
  verifySecret,
  verifySecretAndUpgrade,
} from './secret-hash.util';

describe('scrypt secret hashes', () => {
  it('hashes at N = 2^17, r = 8, p = 1 and says so in the stored form', async () => {
    const stored = await hashSecret('correct horse');
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(needsRehash(stored)).toBe(false);
    await expect(verifySecret('correct horse', stored)).resolves.toBe(true);
    await expect(verifySecret('wrong horse', stored)).resolves.toBe(false);
  });

  it('upgrades a hash of the old N = 2^14 on a successful check, and only then', async () => {
    const old = await hashSecret('s3cret', { N: 16384, r: 8, p: 1 });
    expect(old).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(needsRehash(old)).toBe(true);

    await expect(verifySecretAndUpgrade('not it', old)).resolves.toEqual({ valid: false });

    const { valid, upgradedHash } = await verifySecretAndUpgrade('s3cret', old);
    expect(valid).toBe(true);
    expect(upgradedHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(verifySecret('s3cret', upgradedHash ?? '')).resolves.toBe(true);
    await expect(verifySecretAndUpgrade('s3cret', upgradedHash ?? '')).resolves.toEqual({
      valid: true,
    });
  });

  it('refuses malformed or absurd stored hashes without computing them', async () => {
    await expect(verifySecret('x', 'plain-text')).resolves.toBe(false);
    await expect(verifySecret('x', 'scrypt$4194304$8$1$c2FsdA$aGFzaA')).resolves.toBe(false);
    await expect(verifySecret('x', 'scrypt$abc$8$1$c2FsdA$aGFzaA')).resolves.toBe(false);
  });
});
