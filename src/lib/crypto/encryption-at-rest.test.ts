import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { dumpDatabase } from '../../../test/support/db-dump.js';
import { fieldAad } from './encrypted-fields.js';
import { createKeyring, generateMasterKey } from './keyring.js';

describeEachDb('encryption at rest', (get) => {
  it('a database dump holds the envelope of a team note, never its plaintext', async () => {
    const { db } = get();
    const keyring = createKeyring({ current: generateMasterKey() });
    const marker = randomBytes(6).toString('hex');
    const secret = `CANARY-TEAM-NOTE-${marker}: the embargo ends on Tuesday`;
    const name = `CANARY-PROJECT-NAME-${marker}`;
    const id = `project-${marker}`;
    const envelope = keyring.encryptField(secret, fieldAad('projects', 'team_notes_enc', id));
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('projects')
      .values({
        id,
        slug: `canary-${marker}`,
        name,
        policy_version: 1,
        team_notes_enc: envelope,
        created_at: now,
        updated_at: now,
      })
      .execute();

    const dump = await dumpDatabase(get());
    // The project name is stored in clear: seeing it proves the dump covers the row.
    expect(dump).toContain(name);
    expect(dump).toContain(envelope);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(`CANARY-TEAM-NOTE-${marker}`);
  });
});
