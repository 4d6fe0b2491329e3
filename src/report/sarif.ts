import { posix } from 'node:path';
import type { Engine, Finding, Severity } from '../findings/finding.ts';
import type { ScanResult } from '../findings/result.ts';
import { ruleDocsUrl } from '../findings/rule.ts';
import { renderRuleHelp } from '../rules/docs.ts';
import { findRule } from '../rules/index.ts';
import { TOOL } from './tool.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};
/** GitHub code scanning reads these as high, medium and low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '7.5', warning: '5.0', info: '2.0' };

function ruleDescriptor(ruleId: string, sample: Finding) {
  const meta = findRule(ruleId);
  if (!meta) {
    // A rule from the user's own Spectral ruleset.
    return {
      id: ruleId,
      shortDescription: { text: ruleId },
      fullDescription: { text: `Rule ${ruleId} from the repository's Spectral ruleset.` },
      help: { text: sample.message },
      defaultConfiguration: { level: LEVEL[sample.severity] },
      properties: { tags: ['custom'] },
    };
  }
  const help = renderRuleHelp(meta);
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.title.slice(0, 1024) },
    fullDescription: { text: meta.rationale },
    help: {
      text: `${meta.rationale}\n\n${meta.fix}`,
      markdown: `${help}\n\n[Rule documentation](${ruleDocsUrl(meta.id)})`,
    },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: [
        'security',
        meta.category,
        ...meta.cwe.map((cwe) => `external/cwe/${cwe.toLowerCase()}`),
        ...meta.owasp.map((o) => `owasp-${o}`),
      ].slice(0, 20),
      precision: meta.severity === 'error' ? 'high' : 'medium',
      'security-severity': SECURITY_SEVERITY[meta.severity],
      'problem.severity': meta.severity === 'info' ? 'recommendation' : meta.severity,
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: number, cwdInWorkspace: string) {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(posix.join(cwdInWorkspace, finding.file)) },
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: Math.max(finding.endColumn, finding.endLine === finding.line ? finding.column + 1 : 1),
          },
        },
        ...(finding.jsonPath
          ? { logicalLocations: [{ fullyQualifiedName: finding.jsonPath, kind: 'member' }] }
          : {}),
      },
    ],
    ...(finding.flow && finding.flow.length > 0
      ? {
          codeFlows: [
            {
              threadFlows: [
                {
                  locations: finding.flow.map((step) => ({
                    location: {
                      physicalLocation: {
                        artifactLocation: { uri: encodeURI(posix.join(cwdInWorkspace, step.file)) },
                        region: { startLine: step.line, startColumn: step.column },
                      },
                      message: { text: step.message },
                    },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
    partialFingerprints: {
      primaryLocationLineHash: finding.fingerprint,
      apiguardFingerprint: finding.fingerprint,
    },
    properties: { 'security-severity': SECURITY_SEVERITY[finding.severity], category: finding.category },
    ...(finding.suppression
      ? {
          suppressions: [
            {
              kind: finding.suppression.kind === 'inline' ? 'inSource' : 'external',
              ...(finding.suppression.reason ? { justification: finding.suppression.reason } : {}),
            },
          ],
        }
      : {}),
  };
}

function sarifRun(engine: Engine, findings: Finding[], cwdInWorkspace: string) {
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const samples = new Map(findings.map((finding) => [finding.ruleId, finding]));
  return {
    tool: {
      driver: {
        name: TOOL.name,
        semanticVersion: TOOL.version,
        informationUri: TOOL.informationUri,
        rules: ruleIds.map((id) => ruleDescriptor(id, samples.get(id)!)),
      },
    },
    automationDetails: { id: `apiguard/${engine}/` },
    columnKind: 'unicodeCodePoints',
    results: findings.map((finding) => sarifResult(finding, ruleIds.indexOf(finding.ruleId), cwdInWorkspace)),
  };
}

/** SARIF 2.1.0 for GitHub code scanning: one run per engine, so each uploads under its own category. */
export function formatSarif(result: ScanResult, engines: readonly Engine[] = ['openapi', 'code']): string {
  const all = [...result.findings, ...result.suppressed];
  const runs = engines
    .filter(
      (engine) =>
        engine === 'openapi' || result.files.code.length > 0 || all.some((f) => f.engine === engine),
    )
    .map((engine) =>
      sarifRun(
        engine,
        all.filter((finding) => finding.engine === engine),
        result.cwdInWorkspace,
      ),
    );
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs,
    },
    null,
    2,
  )}\n`;
}
