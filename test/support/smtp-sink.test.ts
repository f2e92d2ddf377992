import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

const send = (subject: string) =>
  createTransport({ host: '127.0.0.1', port: sink.port, secure: false }).sendMail({
    from: 'a@example.org',
    to: 'b@example.org',
    subject,
    text: 'hi',
  });

describe('the SMTP sink', () => {
  it('resolves a wait for a message that arrives later, and times out when none does', async () => {
    const waiting = sink.waitFor((m) => m.subject === 'later');
    await send('earlier');
    await send('later');
    expect((await waiting).envelope).toEqual({ from: 'a@example.org', to: ['b@example.org'] });
    await expect(sink.waitFor((m) => m.subject === 'never', 50)).rejects.toThrow(
      /within 50 ms \(2 received\)/,
    );
  });

  it('refuses exactly the next N deliveries with the given code', async () => {
    sink.clear();
    sink.failNext(2, 452);
    await expect(send('one')).rejects.toMatchObject({ responseCode: 452 });
    await expect(send('two')).rejects.toMatchObject({ responseCode: 452 });
    await send('three');
    expect(sink.messages.map((m) => m.subject)).toEqual(['three']);
    expect(sink.refused).toBe(2);
  });
});
