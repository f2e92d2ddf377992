import { describe, expect, it } from 'vitest';
import { addressBucket, limitedAddress } from './client-address.js';

describe('limitedAddress', () => {
  it('keeps an IPv4 address, also written IPv4-mapped', () => {
    expect(limitedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(limitedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(limitedAddress('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const net = '2001:db8:0:1::/64';
    expect(limitedAddress('2001:db8:0:1::1')).toBe(net);
    expect(limitedAddress('2001:db8:0:1:ffff:ffff:ffff:fffe')).toBe(net);
    expect(limitedAddress('2001:0DB8:0000:0001:0:0:0:9')).toBe(net);
    expect(limitedAddress('2001:db8:0:1::9%eth0')).toBe(net);
    expect(limitedAddress('2001:db8:0:2::1')).not.toBe(net);
    expect(limitedAddress('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(limitedAddress('unknown')).toBe('unknown');
    expect(limitedAddress('')).toBe('');
  });
});

describe('addressBucket', () => {
  it('names one bucket for the addresses of one IPv6 /64, and each IPv4 address its own', () => {
    expect(addressBucket('sign-in-link', '2001:db8:0:1::1')).toBe(
      addressBucket('sign-in-link', '2001:db8:0:1:ffff::9'),
    );
    expect(addressBucket('sign-in-link', '2001:db8:0:1::1')).not.toBe(
      addressBucket('sign-in-link', '2001:db8:0:2::1'),
    );
    expect(addressBucket('report', '203.0.113.7')).toBe('report:ip:203.0.113.7');
    expect(addressBucket('report', '::ffff:203.0.113.7')).toBe('report:ip:203.0.113.7');
  });
});
