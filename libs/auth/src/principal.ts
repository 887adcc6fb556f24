export const OFFICIAL_ROLES = ['admin', 'commerce', 'postal', 'auditor', 'viewer'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export const PRINCIPAL_KINDS = ['official', 'courier', 'platform', 'subscriber'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Who is calling, as proven by a token the registry signed. */
export interface Principal {
  /** Official user id, or machine client id. */
  subject: string;
  kind: PrincipalKind;
  /** Officials only. */
  roles: OfficialRole[];
  /** Officials: the division-code prefix they may read and change ('' = nationwide). */
  regionPrefix: string;
  /** Couriers: the carrier code whose scans they may post, e.g. ZTO. */
  carrierCode?: string;
  /** Platforms: the platform whose orders they may post, e.g. taobao. */
  platformCode?: string;
  /** Machine clients: the enterprise the client is bound to. */
  enterpriseId?: string;
}

/** JWT claims the registry issues; `scope` mirrors roles/kind for generic OAuth2 tooling. */
export interface TokenClaims {
  iss: string;
  /** One audience or several (RFC 7519 §4.1.3); a service accepts a token whose aud has its own. */
  aud: string | string[];
  sub: string;
  iat: number;
  exp: number;
  /** Not before: a token is refused until this second. */
  nbf?: number;
  jti: string;
  kind: PrincipalKind;
  scope: string;
  roles?: OfficialRole[];
  region?: string;
  carrier?: string;
  platform?: string;
  enterprise?: string;
}

export function principalFromClaims(claims: TokenClaims): Principal {
  return {
    subject: claims.sub,
    kind: claims.kind,
    roles: claims.kind === 'official' ? (claims.roles ?? []) : [],
    regionPrefix: claims.kind === 'official' ? (claims.region ?? '') : '',
    carrierCode: claims.carrier,
    platformCode: claims.platform,
    enterpriseId: claims.enterprise,
  };
}
