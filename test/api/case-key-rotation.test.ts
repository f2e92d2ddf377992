/** A key rotation re-encrypts everything a case holds, attachments included: nothing is left under the old key. */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { rotateKeys, scanKeyUsage } from '../../src/modules/keys/key-rotation.service.js';
import { createServices } from '../../src/server/services.js';
import { describeEachDb } from '../support/db.js';
import { OPERATOR, PUBLIC_URL } from '../support/app.js';

describeEachDb('key rotation over cases', (get) => {
  it('re-encrypts report text and attachments, which then open with the new key alone', async () => {
    const db = get().db;
    const clock = fixedClock('2026-11-23T09:00:00Z');
    const oldKeys = createKeyring({ current: randomBytes(32) });
    const before = createServices({ db, clock, cipher: oldKeys, publicUrl: PUBLIC_URL });
    await before.projects.createProject(OPERATOR, { slug: 'rot', name: 'Rot', preset: 'k8spolicy' });
    const filed = await before.intake.submitReport(
      'rot',
      {
        subject: 'Secret subject',
        reporter: { anonymous: false, email: 'r@example.org' },
        reproduction: 'steps',
        effects: '',
        impact: '',
        dependencies: '',
        publiclyKnown: false,
        publicDetails: '',
        attachments: [
          {
            filename: 'poc.txt',
            contentType: 'text/plain',
            contentBase64: Buffer.from('the poc').toString('base64'),
          },
        ],
      },
      { channel: 'api', ip: '127.0.0.1' },
    );
    const newKeys = createKeyring({ current: randomBytes(32) });
    const result = await rotateKeys(db, oldKeys, newKeys, { type: 'operator', id: 'test' }, clock);
    expect(result.fields.find((f) => f.field === 'case_attachments.data_enc')?.reencrypted).toBe(1);
    for (const u of await scanKeyUsage(db)) expect(u.keyId).toBe(newKeys.currentKeyId);

    const after = createServices({ db, clock, cipher: newKeys, publicUrl: PUBLIC_URL });
    const token = filed.reporterLink.split('/r/')[1] ?? '';
    const view = await after.intake.getReporterView(token);
    expect(view.title).toBe('Secret subject');
    const attachment = view.attachments[0];
    if (!attachment) throw new Error('attachment missing');
    const file = await after.intake.getReporterAttachment(token, attachment.id);
    expect(file.bytes.toString()).toBe('the poc');
  });
});
