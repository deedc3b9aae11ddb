import { resolveUser } from '../files/system-markers'
import type { BaseImage, ConfigSummary, Finding } from '../model'
import type { FileRule, Rule } from './types'

/** `""`, `root`, `0`, `root:*`, `0:*`. */
export const isRootUser = (user: string): boolean => {
  const name = user.trim().split(':')[0] ?? ''
  return name === '' || name === 'root' || name === '0'
}

const PRIVILEGE_DROPPERS = /\b(gosu|su-exec|setpriv|runuser|chroot --userspec|s6-setuidgid)\b/

function rootFinding(config: ConfigSummary, base: BaseImage, why: string, paths?: string[]): Finding {
  const startCommand = [...(config.entrypoint ?? []), ...(config.cmd ?? [])].join(' ')
  const notes = [why]
  const dropper = PRIVILEGE_DROPPERS.exec(startCommand)
  if (dropper) notes.push(`The start command uses ${dropper[1]}, which may switch to another user at start; check that it does.`)
  const alpine = base.family === 'alpine' || base.family === 'python-alpine'
  return {
    rule: 'root-user',
    severity: 'high',
    title: 'Runs as root',
    detail:
      'Processes in this container run as root. If the app is compromised, the attacker is root inside the container, ' +
      'which makes any escape from the container more dangerous. Create an unprivileged user and switch to it.',
    evidence: paths === undefined ? { config: ['User'], notes } : { config: ['User'], paths, notes },
    confidence: 'confirmed',
    lessonPart: 'non-root-user',
    fix: {
      before: config.user === '' ? '# no USER line: the container runs as root' : `USER ${config.user}`,
      after: alpine ? 'RUN adduser -D -H appuser\nUSER appuser' : 'RUN adduser --disabled-password --no-create-home appuser\nUSER appuser'
    }
  }
}

export const rootUser: Rule = {
  id: 'root-user',
  lessonPart: 'non-root-user',
  check({ config, base }) {
    if (!isRootUser(config.user)) return []
    return [rootFinding(config, base, config.user === '' ? 'No USER is set, so the container runs as root.' : `USER is ${config.user}, which is root.`)]
  }
}

/** A named USER whose /etc/passwd entry has UID 0 is root too; only the files can tell. */
export const rootUserFromPasswd: FileRule = {
  id: 'root-user',
  lessonPart: 'non-root-user',
  check({ analysis, layers, final }) {
    if (final === undefined || isRootUser(analysis.config.user)) return []
    const node = final.view.get('/etc/passwd')
    const passwd = node?.entry?.type === 'file' ? layers[node.layer]?.capturedText['/etc/passwd'] : undefined
    const resolved = resolveUser(analysis.config.user, passwd)
    return resolved.isRoot ? [rootFinding(analysis.config, analysis.base, resolved.note, ['/etc/passwd'])] : []
  }
}
