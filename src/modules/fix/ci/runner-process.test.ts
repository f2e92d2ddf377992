import { describe, expect, it } from 'vitest';
import { testEnvironment } from './runner-process.js';

describe("a test's environment", () => {
  it("drops Vigil's and git's variables, credentials and the token, and says CI", () => {
    const token = `vgr_${'x'.repeat(43)}`;
    const env = testEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/ci',
        GOFLAGS: '-mod=mod',
        VIGIL_RUNNER_TOKEN: token,
        VIGIL_URL: 'https://vigil.example.org',
        DATABASE_URL: 'postgres://u:p@db/vigil',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}`,
        GITHUB_TOKEN: 'ghp_x',
        AWS_SECRET_ACCESS_KEY: 'k',
        NPM_PASSWORD: 'p',
        RUNNER_NOTE: `uses ${token}`,
        UNSET: undefined,
      },
      token,
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/ci', GOFLAGS: '-mod=mod', CI: 'true' });
  });
});
