// An image whose labels, Env, history and CMD hold HTML and terminal escape sequences: the
// command line prints them literally, in every format, and never drives the terminal with them.
import { beforeAll, expect, it } from 'vitest'
import { dockerCliFormat, requireBuiltCli, runCli } from './support'

/** Built by scripts/fixtures/build.sh from test/fixtures/apps/hostile-metadata. */
const HOSTILE_IMAGE = 'layerlens-fixtures/contents-hostile-metadata:buildkit'
const ESC = '\u001b'

beforeAll(() => {
  requireBuiltCli()
  try {
    dockerCliFormat(['image', 'inspect', HOSTILE_IMAGE], '{{.Id}}')
  } catch {
    throw new Error(`${HOSTILE_IMAGE} is missing: build the fixtures with \`npm run fixtures\`.`)
  }
})

it('the fixture really carries raw escape sequences (the docker CLI is the witness)', () => {
  expect(dockerCliFormat(['image', 'inspect', HOSTILE_IMAGE], '{{index .Config.Labels "layerlens.test.ansi"}}')).toBe(`${ESC}[31mred alert${ESC}[0m`)
})

it.each(['text', 'json', 'markdown', 'sarif'])('audit --format %s prints no control character, and the HTML as written', async (format) => {
  const run = await runCli(['audit', HOSTILE_IMAGE, '--no-files', '--format', format])
  expect(run.exitCode, run.stderr).toBe(1)
  expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  // The escape is still there to read, spelled out.
  expect(run.stdout).toContain('\\u001b[31m')
  if (format === 'text') expect(run.stdout).toContain("echo '<script>alert(4)</script>'")
})
