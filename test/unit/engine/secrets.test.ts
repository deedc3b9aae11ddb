import { describe, expect, it } from 'vitest'
import { isSecretName, MASK, maskText, maskVariable } from '../../../src-main/engine/secrets'

describe('isSecretName', () => {
  it.each(['DB_PASSWORD', 'SECRET_KEY', 'GITHUB_TOKEN', 'API_KEY', 'apiKey', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'PRIVATE_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'A_PASS', 'DB_PWD', 'CLIENT_SECRET'])(
    '%s is a secret name',
    (name) => expect(isSecretName(name)).toBe(true),
  )
  it.each(['GPG_KEY', 'PATH', 'PWD', 'LANG', 'PYTHON_VERSION', 'PIP_NO_CACHE_DIR', 'TOKENIZERS_PARALLELISM', 'POSTGRES_PASSWORD_FILE', 'PASSTHROUGH', 'KEYBOARD'])(
    '%s is not a secret name',
    (name) => expect(isSecretName(name)).toBe(false),
  )
})

describe('maskText', () => {
  it('masks secret-named assignments and keeps the rest', () => {
    const { text, masked } = maskText('RUN |2 A_USER=me A_PASS=hunter22 /bin/sh -c /install.sh # buildkit')
    expect(text).toBe(`RUN |2 A_USER=me A_PASS=${MASK} /bin/sh -c /install.sh # buildkit`)
    expect(masked).toEqual(['A_PASS'])
  })

  it('masks quoted values whole', () => {
    expect(maskText('ENV API_TOKEN="two words here"').text).toBe(`ENV API_TOKEN=${MASK}`)
  })

  it('masks URL credentials but keeps the host', () => {
    const { text } = maskText('pip install --index-url https://deploy:s3cr3t-pass@pypi.example.com/simple app')
    expect(text).toBe(`pip install --index-url https://${MASK}@pypi.example.com/simple app`)
  })

  it('masks well-known token shapes whatever their name', () => {
    const aws = 'AKIAIOSFODNN7EXAMPLE'
    const github = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'
    const { text, masked } = maskText(`aws configure set id ${aws} && git clone https://x:${github}@github.com/o/r`)
    expect(text).not.toContain(aws)
    expect(text).not.toContain(github)
    expect(masked).toContain('AWS access key id')
  })

  it('masks private key blocks', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'
    expect(maskText(`echo "${key}" > /root/.ssh/id_ed25519`).text).toBe(`echo "${MASK}" > /root/.ssh/id_ed25519`)
  })

  it('masks secret flags but not flags that merely contain the word', () => {
    expect(maskText('mysql --password=hunter22 -e "select 1"').text).toBe(`mysql --password=${MASK} -e "select 1"`)
    expect(maskText('adduser --disabled-password --no-create-home appuser').text).toBe('adduser --disabled-password --no-create-home appuser')
    expect(maskText('docker login --password-stdin').masked).toEqual([])
  })

  it('masks every occurrence of a known secret value', () => {
    expect(maskText('curl -H "X-Auth: abcd-1234-efgh" api', ['abcd-1234-efgh']).text).toBe(`curl -H "X-Auth: ${MASK}" api`)
  })

  it('leaves ordinary commands alone', () => {
    const line = 'set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates; GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D'
    expect(maskText(line)).toEqual({ text: line, masked: [] })
  })
})

describe('maskVariable', () => {
  it('masks the whole value of a secret-named variable', () => {
    expect(maskVariable('SECRET_KEY', 'layerlens-planted-secret')).toEqual({ value: MASK, masked: true, reasons: ['SECRET_KEY'] })
  })
  it('masks credentials inside the value of any variable', () => {
    expect(maskVariable('DATABASE_URL', 'postgres://app:pw123456@db/app')).toEqual({
      value: `postgres://${MASK}@db/app`,
      masked: true,
      reasons: ['URL credentials'],
    })
  })
  it('keeps ordinary values and empty secrets', () => {
    expect(maskVariable('LANG', 'C.UTF-8')).toEqual({ value: 'C.UTF-8', masked: false, reasons: [] })
    expect(maskVariable('API_TOKEN', '')).toEqual({ value: '', masked: false, reasons: [] })
  })
})
