/**
 * Two packaged CloudFormation templates compared as data: what a refactoring of serverless.yml or infra/*.yml
 * changed in what deploys. Build-specific values (the artifact folder in each S3Key, the code hash in version
 * logical ids and CodeSha256) are normalized first, so two builds of the same configuration compare equal.
 */

/** Build-specific values replaced by placeholders; keys sorted, so the JSON text is stable too. */
export function normalizeTemplate(template: unknown): unknown {
  const text = JSON.stringify(template)
    // serverless/<service>/<stage>/<timestamp>-<ISO date>/<artifact>.zip
    .replace(/(serverless\/[^"/]+\/[^"/]+\/)\d+-[0-9T:.-]+Z\//g, '$1<build>/')
    // <Function>LambdaVersion<hash of the code>
    .replace(/LambdaVersion[A-Za-z0-9]{20,}/g, 'LambdaVersion<hash>');
  return sortKeys(withoutKey(JSON.parse(text), 'CodeSha256'));
}

/** Every difference, one line each: `path: before -> after` (absent sides shown as `(absent)`). */
export function templateDifferences(before: unknown, after: unknown, path = '$'): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => templateDifferences(before[key], after[key], `${path}.${key}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => templateDifferences(item, after[index], `${path}[${index}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [`${path}: ${shown(before)} -> ${shown(after)}`];
}

function shown(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

function withoutKey(value: unknown, drop: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutKey(item, drop));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== drop)
      .map(([key, item]) => [key, withoutKey(item, drop)]),
  );
}
