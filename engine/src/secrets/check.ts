import type { Diagnostic, EffectiveEnvironment, EffectiveNode, Origin, Range, SourceNode } from '../types';
import { credentialReason, findLiteralSecrets, suggestSecretName } from './literal';
import { scanReferences, type ValueReference } from './references';
import { resolveReference, type ResolveContext } from './resolve';
import { DiagnosticCode } from '../diagnosticCodes';

/** One string of the effective configuration with the place it was written. */
interface StringSite {
  path: Array<string | number>;
  value: string;
  file: string;
  range: Range;
}

/**
 * Secret findings for an effective environment:
 * - `secret.unresolved` (warning): a reference without a default that nothing provides on this machine;
 * - `secret.malformed` (error): `${…}` that is not a reference (`$${` writes a literal `${`);
 * - `secret.literal` (warning): a credential written in clear in a server's env/headers/url/args or in
 *   `settings.env`, with `data` for a quick fix that moves it to `${secret:…}`;
 * - whatever the secret providers report about themselves (e.g. a secrets file readable by others).
 * Servers refused by policy are skipped: they never start, so their secrets are not needed.
 */
export async function checkSecrets(env: EffectiveEnvironment, ctx: ResolveContext): Promise<Diagnostic[]> {
  const blocked = new Set(env.servers.filter((server) => server.blockedReason).map((server) => server.name));
  const diagnostics: Diagnostic[] = [];
  const outcomes = new Map<string, Promise<string | undefined>>();
  // The same reference often appears in several places; ask the providers once.
  const problemOf = (reference: ValueReference): Promise<string | undefined> => {
    let outcome = outcomes.get(reference.raw);
    if (!outcome) {
      outcome = resolveReference(reference, ctx).then((result) => result.message);
      outcomes.set(reference.raw, outcome);
    }
    return outcome;
  };

  for (const site of collectStrings(env, env.tree)) {
    if (site.path[0] === 'mcpServers' && blocked.has(String(site.path[1]))) continue;
    const scan = scanReferences(site.value);
    for (const malformed of scan.malformed) {
      diagnostics.push({
        file: site.file,
        range: site.range,
        severity: 'error',
        code: DiagnosticCode.secretMalformed,
        message: `\`${malformed.raw}\` ${malformed.reason}.`,
        data: { path: site.path, reference: malformed.raw, start: malformed.start, end: malformed.end },
      });
    }
    for (const reference of scan.references) {
      const problem = await problemOf(reference);
      if (problem === undefined) continue;
      diagnostics.push({
        file: site.file,
        range: site.range,
        // Not set on this machine is not wrong in the configuration: the value is needed only when a server
        // starts (which then fails with the reason), so validation, the editor and `apply` carry on.
        severity: 'warning',
        code: DiagnosticCode.secretUnresolved,
        message: problem,
        data: {
          path: site.path,
          reference: reference.raw,
          kind: reference.kind,
          start: reference.start,
          end: reference.end,
        },
      });
    }
    for (const finding of literalFindings(site)) diagnostics.push(finding);
  }
  if (ctx.secrets.check) diagnostics.push(...(await ctx.secrets.check()));
  return diagnostics;
}

/** Where literal credentials are worth a warning, and which key name describes them. */
function literalScope(
  path: Array<string | number>,
): { server?: string; key: string; prefixOnly: boolean; where?: string } | undefined {
  if (path[0] === 'settings' && path[1] === 'env' && path.length === 3)
    return { key: String(path[2]), prefixOnly: false };
  // The collector's credentials travel with every metrics push; they belong in the secret store too.
  if (path.length === 5 && path.slice(0, 4).join('.') === 'gateway.metrics.otlp.headers')
    return { server: 'otlp', key: String(path[4]), prefixOnly: false, where: '`gateway.metrics.otlp.headers`' };
  if (path[0] !== 'mcpServers' || path.length < 3) return undefined;
  const server = String(path[1]);
  const field = path[2];
  if ((field === 'env' || field === 'headers') && path.length === 4)
    return { server, key: String(path[3]), prefixOnly: false };
  if (field === 'url' && path.length === 3) return { server, key: 'url', prefixOnly: false };
  // Arguments are full of paths and package names; only unmistakable vendor prefixes are reported there.
  if (field === 'args' && path.length === 4) return { server, key: 'key', prefixOnly: true };
  return undefined;
}

function literalFindings(site: StringSite): Diagnostic[] {
  const scope = literalScope(site.path);
  if (!scope) return [];
  const found = findLiteralSecrets(site.value, scope.key).filter(
    (literal) =>
      !scope.prefixOnly || credentialReason(site.value.slice(literal.start, literal.end)) !== 'high-entropy token',
  );
  if (found.length === 0) return [];
  const suggestedName = suggestSecretName(scope.server, scope.key === 'url' ? 'token' : scope.key);
  const replacement =
    site.value.slice(0, found[0].start) + `\${secret:${suggestedName}}` + site.value.slice(found[0].end);
  const where = scope.where ?? (scope.server ? `server \`${scope.server}\`` : '`settings.env`');
  return [
    {
      file: site.file,
      range: site.range,
      severity: 'warning',
      code: DiagnosticCode.secretLiteral,
      message:
        `This looks like a ${found[0].reason} written in clear in ${where}. Anyone who can read this ` +
        `file can use it: move it to \`\${secret:${suggestedName}}\`.`,
      // The literal itself stays out of `data`: diagnostics travel to logs and other processes.
      data: {
        path: site.path,
        suggestedName,
        suggestedReference: `\${secret:${suggestedName}}`,
        replacement,
        start: found[0].start,
        end: found[0].end,
      },
    },
  ];
}

/** Every string in the effective tree (scalars and array items) with the file and range that wrote it. */
function collectStrings(env: EffectiveEnvironment, node: EffectiveNode, sites: StringSite[] = []): StringSite[] {
  // One list filled in place: spreading a large map's results into push() would exceed the argument limit.
  if (node.children) {
    for (const child of node.children.values()) collectStrings(env, child, sites);
    return sites;
  }
  if (typeof node.value === 'string') {
    sites.push({ path: node.path, value: node.value, file: node.origin.file, range: node.origin.range });
  } else if (Array.isArray(node.value)) {
    node.value.forEach((item, index) => {
      if (typeof item !== 'string') return;
      const origin: Origin = node.itemOrigins?.[index] ?? node.origin;
      const range =
        node.itemOrigins?.[index]?.range ?? itemRange(env, node.origin, [...node.path, index]) ?? node.origin.range;
      sites.push({ path: [...node.path, index], value: item, file: origin.file, range });
    });
  }
  return sites;
}

/** The range of one array item in the file that wrote the array (replaced arrays carry no per-item origin). */
function itemRange(env: EffectiveEnvironment, origin: Origin, path: Array<string | number>): Range | undefined {
  const layer = env.stack.layers.find((candidate) => candidate.file === origin.file);
  let node: SourceNode | undefined = layer?.root;
  for (const step of path) {
    if (!node) return undefined;
    if (node.type === 'map') node = node.entries.find((entry) => entry.key === step)?.value;
    else if (node.type === 'array' && typeof step === 'number') node = node.items[step];
    else return undefined;
  }
  return node?.range;
}
