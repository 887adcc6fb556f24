import { verifyToken, type VerifyOptions } from './jwt';
import { JwksKeySource, type JwksKeySourceOptions } from './jwks-key-source';
import { principalFromClaims, type Principal } from './principal';

/** Turns a bearer token into a Principal or throws TokenRejectedError. */
export abstract class TokenVerifier {
  abstract verify(token: string): Promise<Principal>;
}

export class JwksTokenVerifier extends TokenVerifier {
  private readonly keys: JwksKeySource;

  constructor(
    jwksUrl: string,
    private readonly options: VerifyOptions,
    keys: JwksKeySourceOptions = {},
  ) {
    super();
    this.keys = new JwksKeySource(jwksUrl, keys);
  }

  async verify(token: string): Promise<Principal> {
    return principalFromClaims(
      await verifyToken(token, (kid) => this.keys.keyFor(kid), this.options),
    );
  }
}
