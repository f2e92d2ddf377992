import { describe, expect, it } from 'vitest';
import { defaultCheckpointDir, loadConfig } from './config.js';

describe('audit settings', () => {
  it('puts checkpoints beside the data directory, not in it, unless told where', () => {
    expect(defaultCheckpointDir('/var/lib/vigil')).toBe('/var/lib/vigil-audit-checkpoints');
    expect(defaultCheckpointDir('/var/lib/vigil/')).toBe('/var/lib/vigil-audit-checkpoints');
    const config = loadConfig({ VIGIL_DATA_DIR: '/srv/data' });
    expect(config).toMatchObject({
      auditCheckpointDir: '/srv/data-audit-checkpoints',
      auditCheckpointSeconds: 60,
      auditKey: undefined,
    });
    expect(
      loadConfig({ VIGIL_DATA_DIR: '/srv/data', VIGIL_AUDIT_CHECKPOINT_DIR: '/mnt/worm/vigil' })
        .auditCheckpointDir,
    ).toBe('/mnt/worm/vigil');
  });

  it('checks at least every minute', () => {
    expect(loadConfig({ VIGIL_AUDIT_CHECKPOINT_SECONDS: '5' }).auditCheckpointSeconds).toBe(5);
    for (const bad of ['0', '61', '1.5', 'soon']) {
      expect(() => loadConfig({ VIGIL_AUDIT_CHECKPOINT_SECONDS: bad })).toThrow(
        'VIGIL_AUDIT_CHECKPOINT_SECONDS must be a whole number from 1 to 60',
      );
    }
  });
});
