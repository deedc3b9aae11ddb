import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LESSON_PART_IDS, LessonFormatError, parseLessonPart } from '../../../src-main/engine/lesson'
import { RULES } from '../../../src-main/engine/rules'
import { isLessonLink } from '../../../src-preload/contract'

const LESSON_DIR = fileURLToPath(new URL('../../../resources/lesson/', import.meta.url))
const readPart = (id: string): string => readFileSync(`${LESSON_DIR}${id}.md`, 'utf8')

describe('resources/lesson', () => {
  it.each(LESSON_PART_IDS)('%s.md parses into a complete part', (id) => {
    const part = parseLessonPart(id, readPart(id))
    expect(part.id).toBe(id)
    expect(part.title.length).toBeGreaterThan(5)
    expect(part.summary.length).toBeGreaterThan(20)
    expect(part.body.length).toBeGreaterThan(0)
    expect(part.before.trim()).not.toBe('')
    expect(part.after.trim()).not.toBe('')
    expect(part.after).not.toBe(part.before)
  })

  it.each(LESSON_PART_IDS)('%s.md links to a page the desktop app may open', (id) => {
    const { learnMore } = parseLessonPart(id, readPart(id))
    expect(learnMore).toBeDefined()
    expect(isLessonLink(learnMore!)).toBe(true)
  })

  it('has a part for every rule', () => {
    for (const rule of RULES) expect(LESSON_PART_IDS).toContain(rule.lessonPart)
  })

  it('shows the lesson\'s fixes', () => {
    expect(parseLessonPart('pip-cache', readPart('pip-cache')).after).toContain('--no-cache-dir')
    expect(parseLessonPart('cmd-form', readPart('cmd-form')).after).toBe('CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]')
    expect(parseLessonPart('base-image', readPart('base-image')).after).toBe('FROM python:3.12-slim')
  })
})

describe('parseLessonPart', () => {
  const valid = ['# Title here', '', 'The summary,', 'over two lines.', '', 'Body one.', '', 'Body two.', '', 'Before:', '```dockerfile', 'CMD x', '```', '', 'After:', '```dockerfile', 'CMD ["x"]', '  # indented', '```', ''].join('\n')

  it('reads title, summary, body paragraphs and both blocks', () => {
    expect(parseLessonPart('cmd-form', valid)).toEqual({
      id: 'cmd-form',
      title: 'Title here',
      summary: 'The summary, over two lines.',
      body: ['Body one.', 'Body two.'],
      before: 'CMD x',
      after: 'CMD ["x"]\n  # indented',
    })
  })

  it('reads an optional "Learn more" link after the After block', () => {
    expect(parseLessonPart('cmd-form', `${valid}\nLearn more: https://docs.docker.com/reference/dockerfile/\n`).learnMore).toBe('https://docs.docker.com/reference/dockerfile/')
  })

  it('accepts Windows line endings', () => {
    expect(parseLessonPart('cmd-form', valid.replace(/\n/g, '\r\n')).after).toBe('CMD ["x"]\n  # indented')
  })

  it.each([
    ['no title', valid.replace('# Title here', 'Title here'), 'first line must be'],
    ['no Before', valid.replace('Before:', 'Earlier:'), 'missing the "Before:" block'],
    ['no fence', valid.replace('After:\n```dockerfile', 'After:\n```'), 'must be followed by'],
    ['unclosed', valid.replace(/```\n$/, ''), 'not closed'],
    ['trailing text', `${valid}\nMore.`, 'unexpected text'],
    ['text after the link', `${valid}\nLearn more: https://docs.docker.com/\nMore.`, 'unexpected text'],
  ])('rejects %s', (_name, markdown, message) => {
    expect(() => parseLessonPart('cmd-form', markdown)).toThrow(LessonFormatError)
    expect(() => parseLessonPart('cmd-form', markdown)).toThrow(message)
  })
})

describe('isLessonLink', () => {
  it.each(['https://docs.docker.com/build/', 'https://docs.docker.com/reference/dockerfile/#user'])('opens %s', (url) => {
    expect(isLessonLink(url)).toBe(true)
  })

  it.each([
    'http://docs.docker.com/build/',
    'https://docs.docker.com.evil.example/',
    'https://evil.example/?https://docs.docker.com/',
    'https://user:pass@docs.docker.com/',
    'https://docs.docker.com:8443/',
    'javascript:alert(1)//https://docs.docker.com/',
    'file:///etc/passwd',
    'not a url'
  ])('refuses %s', (url) => {
    expect(isLessonLink(url)).toBe(false)
  })
})
