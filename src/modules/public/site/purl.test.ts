import { describe, expect, it } from 'vitest';
import { PurlError, purlToPackage } from './purl.js';

describe('purlToPackage', () => {
  it.each([
    ['pkg:npm/%40angular/core@16.0.0', { ecosystem: 'npm', name: '@angular/core', version: '16.0.0' }],
    ['pkg:npm/lodash', { ecosystem: 'npm', name: 'lodash', version: null }],
    [
      'pkg:golang/github.com/gorilla/mux@v1.8.0',
      { ecosystem: 'Go', name: 'github.com/gorilla/mux', version: 'v1.8.0' },
    ],
    ['pkg:golang/golang.org/x/net#html', { ecosystem: 'Go', name: 'golang.org/x/net/html', version: null }],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' },
    ],
    ['pkg:pypi/requests@2.31.0', { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' }],
    ['pkg:cargo/serde@1.0.0', { ecosystem: 'crates.io', name: 'serde', version: '1.0.0' }],
    [
      'pkg:composer/symfony/http-kernel@6.0.0',
      { ecosystem: 'Packagist', name: 'symfony/http-kernel', version: '6.0.0' },
    ],
    ['pkg:gem/rails@7.0.0', { ecosystem: 'RubyGems', name: 'rails', version: '7.0.0' }],
    [
      'pkg:deb/debian/openssl@3.0.11-1?distro=bookworm',
      { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1' },
    ],
    [
      'pkg:apk/alpine/zlib@1.2.13-r0?arch=source',
      { ecosystem: 'Alpine', name: 'zlib', version: '1.2.13-r0' },
    ],
    ['PKG:HEX/phoenix@1.7.0', { ecosystem: 'Hex', name: 'phoenix', version: '1.7.0' }],
  ])('%s', (purl, expected) => {
    expect(purlToPackage(purl)).toEqual(expected);
  });

  it('refuses a malformed purl, and tells an unknown type apart', () => {
    for (const bad of ['npm/lodash', 'pkg:', 'pkg:npm', 'pkg:npm/', 'pkg:npm/%zz@1']) {
      expect(() => purlToPackage(bad), bad).toThrow(PurlError);
    }
    try {
      purlToPackage('pkg:unheardof/x@1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PurlError);
      expect((err as PurlError).unknownType).toBe(true);
    }
  });

  it('calls the prototype key `constructor` an unknown type (it was read from the table, then crashed)', () => {
    expect(() => purlToPackage('pkg:constructor/x@1')).toThrow(
      expect.objectContaining({ unknownType: true }),
    );
  });

  it('keeps a Debian distro it does not know, prototype keys included', () => {
    expect(purlToPackage('pkg:deb/debian/curl@8?distro=constructor').ecosystem).toBe('Debian:constructor');
  });
});
