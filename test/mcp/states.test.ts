import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_STATES, canRestart, canStart, canStop, isActive, mayHaveLog } from '@claude-env/mcp';

interface MenuItem {
  command: string;
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};

/** The `viewItem =~ /…/` regex of a command's row button in the MCP Servers view. */
function rowButtonRegex(command: string): RegExp {
  const item = manifest.contributes.menus['view/item/context']?.find((entry) => entry.command === command);
  assert.ok(item?.when, `package.json has no view/item/context entry for ${command}`);
  assert.match(item.when, /view == claudeEnv\.mcpServers/);
  const written = /viewItem =~ \/(.*)\/(?:\s|$)/.exec(item.when)?.[1];
  assert.ok(written, `the when clause of ${command} has no viewItem regex: ${item.when}`);
  return new RegExp(written);
}

// The editor's own state for a server whose secrets are missing; it starts nothing, so no button applies.
const ROW_STATES = [...SERVER_STATES, 'unresolved'];

describe('server states: package.json menus follow the state predicates', () => {
  const buttons: [string, (state: string) => boolean][] = [
    ['claudeEnv.mcp.start', canStart],
    ['claudeEnv.mcp.stop', canStop],
    ['claudeEnv.mcp.restart', canRestart],
    ['claudeEnv.mcp.showLog', mayHaveLog],
  ];
  for (const [command, allows] of buttons) {
    it(`shows ${command} on exactly the rows whose state allows it`, () => {
      const regex = rowButtonRegex(command);
      const shown = ROW_STATES.filter((state) => regex.test(`mcpServer.${state}`));
      assert.deepEqual(shown, ROW_STATES.filter(allows));
    });
  }

  it('never offers both Start and Stop for one state, and stops exactly the active ones', () => {
    for (const state of ROW_STATES) {
      assert.ok(!(canStart(state) && canStop(state)), state);
      assert.equal(canStop(state), isActive(state), state);
    }
    assert.deepEqual(SERVER_STATES.filter(isActive), ['starting', 'running', 'degraded', 'restarting']);
  });
});
