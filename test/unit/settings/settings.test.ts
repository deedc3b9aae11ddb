import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Finding } from '../../../src-main/engine/model'
import {
  applySettings,
  checkThresholds,
  compilePathGlob,
  DEFAULT_SETTINGS,
  parseSettings,
  parseThresholdArgument,
  SettingsError,
  type Settings,
} from '../../../src-main/engine/settings'
import { findSettingsFile, loadSettings } from '../../../src-main/sources/settings-file'
import { analysisOf } from '../reports/report-data'

const RULE_IDS = ['root-user', 'pip-cache', 'no-expose', 'secret-env', 'secret-file', 'bloated-base', 'copy-before-install', 'no-healthcheck', 'shell-form-cmd']
const parse = (text: string): Settings => parseSettings(text, { fileName: '.layerlens.yml', ruleIds: RULE_IDS })
const errorOf = (text: string): string => {
  try {
    parse(text)
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError)
    return (error as Error).message
  }
  throw new Error('expected a SettingsError')
}

describe('.layerlens.yml parsing', () => {
  it('reads every setting, with dive names as aliases and sizes with units', () => {
    const settings = parse(
      [
        '# project audit settings',
        'rules:',
        '  no-expose: off',
        '  pip-cache: low',
        '  root-user: { severity: critical }',
        '  no-healthcheck: { enabled: false }',
        'ignorePaths: ["*.pyc", /app/tests]',
        'thresholds:',
        '  maxImageSize: 1.5 GB',
        '  highestWastedBytes: 20MB',
        '  highestUserWastedPercent: 0.1',
        '  lowestEfficiency: 95%',
        'allowEnv: [SECRET_KEY_FILE]',
      ].join('\n'),
    )
    expect(settings).toEqual({
      rules: {
        'no-expose': { enabled: false },
        'pip-cache': { enabled: true, severity: 'low' },
        'root-user': { enabled: true, severity: 'critical' },
        'no-healthcheck': { enabled: false },
      },
      ignorePaths: ['*.pyc', '/app/tests'],
      thresholds: { maxImageSize: 1_500_000_000, maxReclaimableBytes: 20_000_000, maxReclaimableRatio: 0.1, minEfficiency: 0.95 },
      allowEnv: ['SECRET_KEY_FILE'],
    })
  })

  it('treats an empty file as no settings', () => {
    expect(parse('')).toEqual(DEFAULT_SETTINGS)
    expect(parse('# nothing yet\n')).toEqual(DEFAULT_SETTINGS)
  })

  it('names the file, line and key of a wrong value', () => {
    const text = ['rules:', '  pip-cache: low', '  no-expose:', '    enabled: false', '', '  root-user:', '    severity: urgent'].join('\n')
    expect(errorOf(text)).toBe('.layerlens.yml:7: rules.root-user.severity: expected one of critical, high, medium, low, info')
  })

  it('names unknown keys and rules where they are written', () => {
    expect(errorOf('rules:\n  root-usr: off\n')).toBe(`.layerlens.yml:2: rules.root-usr: unknown rule "root-usr"; known rules: ${RULE_IDS.join(', ')}`)
    expect(errorOf('version: 1\ntresholds:\n  maxImageSize: 1GB\n')).toBe(
      '.layerlens.yml:1: version: unknown key; expected one of rules, ignorePaths, thresholds, allowEnv\n' +
        '.layerlens.yml:2: tresholds: unknown key; expected one of rules, ignorePaths, thresholds, allowEnv',
    )
    expect(errorOf('thresholds:\n  maxSize: 1GB\n')).toMatch(/^\.layerlens\.yml:2: thresholds\.maxSize: unknown key; expected one of maxImageSize, maxReclaimableBytes, highestWastedBytes/)
  })

  it('explains wrong threshold values and a threshold given twice', () => {
    expect(errorOf('thresholds:\n  maxImageSize: big\n  lowestEfficiency: 95\n')).toBe(
      '.layerlens.yml:2: thresholds.maxImageSize: expected a size such as 500MB, 1.5GB or a number of bytes\n' +
        '.layerlens.yml:3: thresholds.lowestEfficiency: expected a ratio between 0 and 1, or a percentage such as 90%',
    )
    expect(errorOf('thresholds:\n  minEfficiency: 0.9\n  lowestEfficiency: 0.8\n')).toBe(
      '.layerlens.yml:3: thresholds.lowestEfficiency: the same threshold as minEfficiency: give only one',
    )
  })

  it('explains wrong shapes', () => {
    expect(errorOf('rules:\n  root-user: maybe\n')).toBe('.layerlens.yml:2: rules.root-user: expected off, a severity (critical, high, medium, low, info) or a mapping with enabled and severity')
    expect(errorOf('allowEnv:\n  - A\n  - 3\n')).toBe('.layerlens.yml:3: allowEnv.1: expected an env key')
    expect(errorOf('- a\n- b\n')).toBe('.layerlens.yml:1: expected a mapping with rules, ignorePaths, thresholds or allowEnv')
  })

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('rules:\n  root-user: off\n  root-user: low\n')).toMatch(/^\.layerlens\.yml:3: Map keys must be unique/)
    expect(errorOf('rules: [a\nthresholds: {}\n')).toMatch(/^\.layerlens\.yml:\d+: /)
  })
})

describe('thresholds on the command line', () => {
  it('takes Layerlens and dive names', () => {
    expect(parseThresholdArgument('highestWastedBytes=20MB')).toEqual({ name: 'maxReclaimableBytes', limit: 20_000_000 })
    expect(parseThresholdArgument('minEfficiency=90%')).toEqual({ name: 'minEfficiency', limit: 0.9 })
    expect(parseThresholdArgument('maxImageSize=1GiB')).toEqual({ name: 'maxImageSize', limit: 2 ** 30 })
    expect(parseThresholdArgument('biggest=1')).toEqual({ error: expect.stringMatching(/^unknown threshold "biggest"; known: maxImageSize, maxReclaimableBytes, highestWastedBytes/) })
    expect(parseThresholdArgument('lowestEfficiency=2')).toEqual({ error: 'lowestEfficiency: expected a ratio between 0 and 1, or a percentage such as 90%' })
  })
})

describe('applying settings to findings', () => {
  const before = analysisOf('lesson-before_buildkit')
  const rules = (findings: readonly Finding[]): string[] => findings.map((finding) => `${finding.severity} ${finding.rule}`)

  it('switches rules off and changes severities, keeping findings sorted by severity', () => {
    expect(rules(before.findings)).toEqual(['high root-user', 'medium bloated-base', 'medium copy-before-install', 'medium pip-cache', 'medium shell-form-cmd', 'info no-healthcheck', 'info no-expose'])
    const applied = applySettings(before.findings, {
      ...DEFAULT_SETTINGS,
      rules: { 'no-expose': { enabled: false }, 'pip-cache': { enabled: true, severity: 'critical' }, 'root-user': { enabled: true, severity: 'low' } },
    })
    expect(rules(applied)).toEqual(['critical pip-cache', 'medium bloated-base', 'medium copy-before-install', 'medium shell-form-cmd', 'low root-user', 'info no-healthcheck'])
    expect(applySettings(before.findings, DEFAULT_SETTINGS)).toEqual(before.findings)
  })

  const fileFinding: Finding = {
    rule: 'secret-file',
    severity: 'high',
    title: 'Secret files in the layers',
    detail: 'd',
    evidence: { paths: ['/app/.env', '/app/tests/fixtures/key.pem'], notes: [] },
    confidence: 'confirmed',
    lessonPart: 'dockerignore',
    fix: { before: 'COPY . .', after: 'COPY . .' },
  }

  it('leaves out ignored paths, and findings left with none', () => {
    const settings = { ...DEFAULT_SETTINGS, ignorePaths: ['tests/'] }
    expect(applySettings([fileFinding], settings)[0]!.evidence).toEqual({ paths: ['/app/.env'], notes: ['1 path left out by ignorePaths.'] })
    expect(applySettings([fileFinding], { ...DEFAULT_SETTINGS, ignorePaths: ['/app/**'] })).toEqual([])
  })

  it('does not flag allowed env keys as secrets', () => {
    const secretEnv: Finding = {
      rule: 'secret-env',
      severity: 'high',
      title: 'Secrets are baked into the environment: SECRET_KEY, TOKEN_URL',
      detail: 'd',
      evidence: { config: ['Env.SECRET_KEY', 'Env.TOKEN_URL'], steps: [3], notes: ["SECRET_KEY is set in the image's Env.", "TOKEN_URL is set in the image's Env."] },
      confidence: 'confirmed',
      lessonPart: 'secrets',
      fix: { before: '', after: '' },
    }
    const partly = applySettings([secretEnv], { ...DEFAULT_SETTINGS, allowEnv: ['TOKEN_URL'] })
    expect(partly[0]!.evidence).toEqual({ config: ['Env.SECRET_KEY'], steps: [3], notes: ["SECRET_KEY is set in the image's Env.", 'TOKEN_URL is allowed by allowEnv.'] })
    expect(applySettings([secretEnv], { ...DEFAULT_SETTINGS, allowEnv: ['TOKEN_URL', 'SECRET_KEY'] })).toEqual([])
  })
})

describe('path globs', () => {
  const matches = (glob: string, path: string): boolean => compilePathGlob(glob).test(path)
  it('anchors patterns with a leading slash and matches others at any depth', () => {
    expect(matches('*.pyc', '/app/pkg/mod.pyc')).toBe(true)
    expect(matches('*.pyc', '/app/pkg/mod.py')).toBe(false)
    expect(matches('/app/tests', '/app/tests/test_a.py')).toBe(true)
    expect(matches('/tests', '/app/tests/test_a.py')).toBe(false)
    expect(matches('tests', '/app/tests/test_a.py')).toBe(true)
    expect(matches('/root/.cache/**', '/root/.cache/pip/http/a')).toBe(true)
    expect(matches('/usr/*/python3', '/usr/lib/python3/x')).toBe(true)
    expect(matches('/usr/*/python3', '/usr/local/lib/python3')).toBe(false)
    expect(matches('/usr/**/python3', '/usr/local/lib/python3')).toBe(true)
    expect(matches('/app/.env?', '/app/.envs')).toBe(true)
    expect(matches('/app/a+b', '/app/a+b')).toBe(true)
  })
})

describe('thresholds', () => {
  const before = analysisOf('lesson-before_buildkit')
  const contents = {
    fileCount: 10,
    shippedBytes: 1_000_000_000,
    finalBytes: 950_000_000,
    reclaimableBytes: 50_000_000,
    layers: before.layers.map((layer) => ({ layerIndex: layer.index, fileCount: 1, shippedBytes: layer.index >= before.base.layerCount ? 100_000_000 : 0, reclaimableBytes: 0 })),
    waste: [],
    dive: { efficiency: 0.93, wastedBytes: 60_000_000 },
  }

  it('measures each configured threshold and says which are exceeded', () => {
    const checks = checkThresholds(before, contents, { maxImageSize: 1e9, maxReclaimableBytes: 20e6, maxReclaimableRatio: 0.1, minEfficiency: 0.95 })
    expect(checks.map((check) => [check.threshold, check.breached, check.message])).toEqual([
      ['maxImageSize', false, 'maxImageSize: image size 998 MB is within the limit of 1.0 GB'],
      ['maxReclaimableBytes', true, 'maxReclaimableBytes: reclaimable bytes 50.0 MB exceeds the limit of 20.0 MB'],
      ['maxReclaimableRatio', true, "maxReclaimableRatio: reclaimable share of the bytes the image's own layers ship 16.7% exceeds the limit of 10.0%"],
      ['minEfficiency', true, "minEfficiency: dive's efficiency score 93.0% is below the limit of 95.0%"],
    ])
  })

  it('says when a threshold needs the layer contents', () => {
    expect(checkThresholds(before, undefined, { minEfficiency: 0.9 })).toEqual([
      { threshold: 'minEfficiency', limit: 0.9, breached: false, message: "minEfficiency: dive's efficiency score not measured (the layer contents were not read)" },
    ])
  })
})

describe('finding .layerlens.yml', () => {
  let root: string | undefined
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true })
  })

  it('walks up from the Dockerfile to the repository top, and no further', async () => {
    root = mkdtempSync(join(tmpdir(), 'layerlens-settings-'))
    const repo = join(root, 'repo')
    const service = join(repo, 'services', 'api')
    mkdirSync(join(repo, '.git'), { recursive: true })
    mkdirSync(service, { recursive: true })
    writeFileSync(join(root, '.layerlens.yml'), 'rules: {}\n')
    expect(findSettingsFile(service)).toBeUndefined()

    writeFileSync(join(repo, '.layerlens.yml'), 'rules:\n  root-user: low\n')
    expect(findSettingsFile(service)).toBe(join(repo, '.layerlens.yml'))
    const loaded = await loadSettings({ dockerfile: 'services/api/Dockerfile', cwd: repo, ruleIds: RULE_IDS })
    expect(loaded).toEqual({ path: join(repo, '.layerlens.yml'), settings: { ...DEFAULT_SETTINGS, rules: { 'root-user': { enabled: true, severity: 'low' } } } })

    writeFileSync(join(service, '.layerlens.yml'), 'rules:\n  root-user: {severity: urgent}\n')
    await expect(loadSettings({ cwd: service, ruleIds: RULE_IDS })).rejects.toThrow('.layerlens.yml:2: rules.root-user.severity: expected one of critical, high, medium, low, info')
  })
})
