export { readContextDockerignore, walkContext } from './walk'
export { backupPathOf, BackupExistsError, FileChangedError, writeFixes, type WriteTarget, type WrittenFile } from './write-fix'
