import { strict as assert } from 'node:assert';
import { INVALID_LABEL, LabelPolicy } from '../../mcp/src/gateway/metrics';

describe('gateway metrics: the server label', () => {
  it('keeps every name a client accepts and refuses what would need escaping or looks like a key', () => {
    const labels = new LabelPolicy();
    for (const name of ['memory', 'Dev Box MCP', 'microsoft/playwright-mcp', 'io.github.x/y', '日本語メモ'])
      assert.equal(labels.server(name), name);
    for (const name of ['a"b', 'back\\slash', 'line\nbreak', '', 'sk-ant-api03-servernamesecret0123456789'])
      assert.equal(labels.server(name), INVALID_LABEL, JSON.stringify(name));
  });
});
