import { describe, expect, it } from 'vitest';
import { MAIL_KINDS, mailAudience } from '../../mail/templates/mail-templates.js';
import { nextDigestAt } from './digest.job.js';
import { TEAM_EVENTS } from './notification-events.js';
import { pathOf } from './notify-team.js';

describe('notifications', () => {
  it('has an event for every mail to the team but the digest itself', () => {
    const team = MAIL_KINDS.filter((k) => mailAudience(k) === 'team' && k !== 'digest.team');
    expect([...TEAM_EVENTS].sort()).toEqual([...team].sort());
  });

  it('stores the path of a link under the public URL', () => {
    expect(pathOf('https://vigil.example.org/cases/VGL-1', 'https://vigil.example.org')).toBe('/cases/VGL-1');
    expect(pathOf('https://vigil.example.org/projects/a#team-heading', 'https://vigil.example.org')).toBe(
      '/projects/a#team-heading',
    );
    // Not under it (another prefix that merely starts the same): the URL's own path.
    expect(pathOf('https://vigil.example.org.evil/x?y=1', 'https://vigil.example.org')).toBe('/x?y=1');
  });

  it('sends the digest at the next 07:00 UTC', () => {
    expect(nextDigestAt(new Date('2026-12-21T06:59:59Z')).toISOString()).toBe('2026-12-21T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-21T07:00:00Z')).toISOString()).toBe('2026-12-22T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-21T23:00:00Z')).toISOString()).toBe('2026-12-22T07:00:00.000Z');
  });
});
