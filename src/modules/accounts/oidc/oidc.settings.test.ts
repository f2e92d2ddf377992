import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './oidc.service.js';
import { isLoopbackIssuer, oidcSettingsFromEnv } from './oidc.settings.js';

describe('OpenID Connect settings', () => {
  it('are off without an issuer and a client id', () => {
    expect(oidcSettingsFromEnv({})).toBeUndefined();
    expect(oidcSettingsFromEnv({ VIGIL_OIDC_ISSUER: '', VIGIL_OIDC_CLIENT_ID: ' ' })).toBeUndefined();
  });

  it('read the issuer, the client, sign-up (off by default) and the button name', () => {
    expect(
      oidcSettingsFromEnv({
        VIGIL_OIDC_ISSUER: 'https://sso.example.org/realms/oss',
        VIGIL_OIDC_CLIENT_ID: 'vigil',
        VIGIL_OIDC_CLIENT_SECRET: 's3cret',
      }),
    ).toEqual({
      issuer: 'https://sso.example.org/realms/oss',
      clientId: 'vigil',
      clientSecret: 's3cret',
      allowSignup: false,
      name: 'sso.example.org',
    });
    expect(
      oidcSettingsFromEnv({
        VIGIL_OIDC_ISSUER: 'https://accounts.google.com',
        VIGIL_OIDC_CLIENT_ID: 'id',
        VIGIL_OIDC_ALLOW_SIGNUP: 'true',
        VIGIL_OIDC_NAME: 'Google',
      }),
    ).toMatchObject({ clientSecret: undefined, allowSignup: true, name: 'Google' });
  });

  it('refuse half a configuration, plain http off the local machine, and a vague sign-up flag', () => {
    expect(() => oidcSettingsFromEnv({ VIGIL_OIDC_ISSUER: 'https://idp.example.org' })).toThrow(
      /VIGIL_OIDC_CLIENT_ID/,
    );
    expect(() =>
      oidcSettingsFromEnv({ VIGIL_OIDC_ISSUER: 'http://idp.example.org', VIGIL_OIDC_CLIENT_ID: 'x' }),
    ).toThrow(/https/);
    expect(() => oidcSettingsFromEnv({ VIGIL_OIDC_ISSUER: 'not a url', VIGIL_OIDC_CLIENT_ID: 'x' })).toThrow(
      /URL/,
    );
    expect(() =>
      oidcSettingsFromEnv({
        VIGIL_OIDC_ISSUER: 'https://idp.example.org',
        VIGIL_OIDC_CLIENT_ID: 'x',
        VIGIL_OIDC_ALLOW_SIGNUP: 'yes',
      }),
    ).toThrow(/true or false/);
    expect(isLoopbackIssuer('http://127.0.0.1:4000')).toBe(true);
    expect(isLoopbackIssuer('http://localhost:4000/x')).toBe(true);
    expect(isLoopbackIssuer('http://127.0.0.1.example.org')).toBe(false);
    expect(isLoopbackIssuer('https://127.0.0.1')).toBe(false);
  });

  it('return only to a path of this instance', () => {
    expect(safeReturnTo('/cases/VGL-1?tab=x')).toBe('/cases/VGL-1?tab=x');
    for (const bad of [undefined, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/a\nb']) {
      expect(safeReturnTo(bad)).toBe('/');
    }
    expect(safeReturnTo(`/${'a'.repeat(600)}`)).toBe('/');
  });
});
