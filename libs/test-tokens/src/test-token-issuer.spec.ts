import { TestTokenIssuer } from './test-token-issuer';

describe('TestTokenIssuer', () => {
  const issuer = new TestTokenIssuer();

  it("signs officials' tokens its verifier accepts", async () => {
    const token = issuer.official(['commerce', 'viewer'], '640521', 'official-1');
    await expect(issuer.verifier().verify(token)).resolves.toEqual({
      subject: 'official-1',
      kind: 'official',
      roles: ['commerce', 'viewer'],
      regionPrefix: '640521',
      carrierCode: undefined,
      platformCode: undefined,
      enterpriseId: undefined,
    });
  });

  it("signs courier and platform clients' tokens its verifier accepts", async () => {
    const courier = issuer.client('courier', { carrier: 'ZTO', enterpriseId: 'e1', subject: 'c1' });
    await expect(issuer.verifier().verify(courier)).resolves.toEqual({
      subject: 'c1',
      kind: 'courier',
      roles: [],
      regionPrefix: '',
      carrierCode: 'ZTO',
      platformCode: undefined,
      enterpriseId: 'e1',
    });
    const platform = issuer.client('platform', { platform: 'taobao' });
    await expect(issuer.verifier().verify(platform)).resolves.toMatchObject({
      subject: expect.stringMatching(/^platform-/),
      kind: 'platform',
      platformCode: 'taobao',
    });
  });

  const rejected = { name: 'TokenRejectedError' };

  it('rejects a token from another issuer instance', async () => {
    const other = new TestTokenIssuer();
    await expect(issuer.verifier().verify(other.official(['admin'], ''))).rejects.toMatchObject(
      rejected,
    );
  });

  it('rejects a token carrying its kid but signed with another key', async () => {
    const [, payload, signature] = new TestTokenIssuer().official(['admin'], '').split('.');
    const header = Buffer.from(
      JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: issuer.kid }),
    ).toString('base64url');
    await expect(
      issuer.verifier().verify(`${header}.${payload}.${signature}`),
    ).rejects.toMatchObject({ ...rejected, message: expect.stringMatching(/signature/i) });
  });
});
