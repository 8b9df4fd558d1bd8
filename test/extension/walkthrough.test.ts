import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/**
 * The Getting Started walkthrough and the gallery icon, read from the manifest VS Code reads: every step's media is
 * a file the package ships, every command link and completion event names a command or view the extension
 * contributes, and the icon is the 128×128 PNG the Marketplace asks for.
 */
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  repository?: { url?: string };
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs?: { id: string; title: string; steps: Step[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const commands = new Set(manifest.contributes.commands.map((entry) => entry.command));
const views = new Set(Object.values(manifest.contributes.views).flatMap((list) => list.map((view) => view.id)));
// The package ships extension/media/ whole (.vscodeignore and scripts/vscode-package.mjs).
const SHIPPED_MEDIA = 'extension/media/';

function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\(command:([\w.]+)(?:\?[^)]*)?\)/g)].map((match) => match[1]!);
}

describe('the Getting Started walkthrough and the extension icon', () => {
  const walkthroughs = manifest.contributes.walkthroughs ?? [];
  const steps = walkthroughs.flatMap((walkthrough) => walkthrough.steps);

  it('offers one walkthrough whose steps cover import, provenance, apply, servers and secrets', () => {
    assert.equal(walkthroughs.length, 1);
    assert.equal(walkthroughs[0]!.title, 'Get started with Claude Env');
    const linked = new Set(steps.flatMap((step) => commandLinks(step.description)));
    for (const command of ['init', 'import', 'explainAtCursor', 'apply', 'mcp.startAll', 'setSecret']) {
      assert.ok(linked.has(`claudeEnv.${command}`), `no step links claudeEnv.${command}`);
    }
    assert.equal(new Set(steps.map((step) => step.id)).size, steps.length, 'step ids are unique');
  });

  it('gives every step a media file the package ships', () => {
    for (const step of steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media, `${step.id} has no media`);
      assert.ok(media.startsWith(SHIPPED_MEDIA), `${step.id}: ${media} is outside ${SHIPPED_MEDIA}`);
      assert.ok(existsSync(join(REPO_ROOT, media)), `${step.id}: ${media} does not exist`);
      if (step.media.image) assert.ok(step.media.altText, `${step.id}: an image needs altText`);
      if (step.media.markdown) {
        for (const command of commandLinks(readFileSync(join(REPO_ROOT, media), 'utf8'))) {
          assert.ok(commands.has(command), `${media} links ${command}, which is not contributed`);
        }
      }
    }
  });

  it('links and completes on commands and views the extension contributes', () => {
    for (const step of steps) {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, `${step.id} has no command link`);
      for (const command of links)
        assert.ok(commands.has(command), `${step.id} links ${command}, which is not contributed`);
      assert.ok(step.completionEvents?.length, `${step.id} has no completion event`);
      for (const event of step.completionEvents ?? []) {
        const [kind, name] = event.split(/:(.*)/s) as [string, string];
        if (kind === 'onCommand') assert.ok(commands.has(name), `${step.id}: ${event} names no contributed command`);
        else if (kind === 'onView') assert.ok(views.has(name), `${step.id}: ${event} names no contributed view`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('has a 128×128 PNG icon and gallery metadata', () => {
    assert.equal(manifest.icon, `${SHIPPED_MEDIA}icon.png`);
    const png = readFileSync(join(REPO_ROOT, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''));
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\//);
  });
});
