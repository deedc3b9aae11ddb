// setuid/setgid programs in the final filesystem: informational, as dockle's CIS-DI-0008 reports them.
import { findSetuidFiles } from '../files/system-markers'
import type { Finding } from '../model'
import { placeOfLayer } from './layer-steps'
import type { FileRule } from './types'

export const setuidFiles: FileRule = {
  id: 'setuid-files',
  lessonPart: 'non-root-user',
  check(context) {
    if (context.final === undefined) return []
    const found = findSetuidFiles(context.final.view)
    if (found.length === 0) return []
    const fromUser = found.filter((file) => file.layer >= context.firstUserLayer)
    const finding: Finding = {
      rule: 'setuid-files',
      severity: 'info',
      title: `${found.length} setuid/setgid program${found.length === 1 ? '' : 's'} in the image`,
      detail:
        'A setuid or setgid program runs with its owner\'s or group\'s rights, usually root, whoever starts it. Each one is a way ' +
        'from an unprivileged user back to root if it has a flaw. Most containers need none of them; remove the bits unless the app relies on one.' +
        (fromUser.length > 0 ? ` ${fromUser.length} of them ${fromUser.length === 1 ? 'comes' : 'come'} from your own steps.` : ' All come from the base image.'),
      evidence: {
        paths: found.map((file) => file.path),
        notes: found.map((file) => `${file.path} (${[file.setuid ? 'setuid' : '', file.setgid ? 'setgid' : ''].filter(Boolean).join(', ')}, mode ${file.mode.toString(8)}), from ${placeOfLayer(context.analysis, file.layer)}.`)
      },
      confidence: 'confirmed',
      lessonPart: 'non-root-user',
      fix: { before: '# setuid/setgid bits left as installed', after: 'RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +' }
    }
    return [finding]
  }
}
