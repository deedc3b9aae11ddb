import { expect, listImages, openApp, SCREENSHOT_DIR, test } from './server'

const FIXTURE_IMAGES = [
  'layerlens-fixtures/debian:bookworm',
  'layerlens-fixtures/debian:bookworm-slim',
  'layerlens-fixtures/python:3.11',
  'layerlens-fixtures/python:3.11-slim',
  'layerlens-fixtures/lesson-before:classic',
  'layerlens-fixtures/lesson-before:buildkit',
  'layerlens-fixtures/lesson-after:classic',
  'layerlens-fixtures/lesson-after:buildkit'
]

const rows = '.images-table tbody tr'

test('the list shows the fixture images and hides the token from the address bar', async ({ page }) => {
  await openApp(page)
  for (const name of FIXTURE_IMAGES) {
    await expect(page.getByRole('row', { name: `Open ${name}`, exact: true })).toBeVisible()
  }
  expect(page.url()).not.toContain('token=')
  await expect(page.locator('.engine-status')).toContainText(/Docker|Podman/)
  await page.screenshot({ path: `${SCREENSHOT_DIR}/list.png`, fullPage: true, animations: 'disabled' })
})

test('search filters by name, by tag and by id', async ({ page }) => {
  await openApp(page)
  const search = page.getByRole('searchbox', { name: /search images/i })

  await search.fill('lesson-after')
  await expect(page.locator(rows)).toHaveCount(2)
  await expect(page.locator(rows).first()).toContainText('lesson-after')

  await search.fill('bookworm-slim')
  await expect(page.locator(rows)).toHaveCount(1)
  await expect(page.locator(rows)).toContainText('layerlens-fixtures/debian:bookworm-slim')

  const images = await listImages()
  const before = images.find((image) => image.repoTags.includes('layerlens-fixtures/lesson-before:buildkit'))
  expect(before).toBeDefined()
  await search.fill(before?.id.replace('sha256:', '').slice(0, 10) ?? '')
  await expect(page.getByRole('row', { name: 'Open layerlens-fixtures/lesson-before:buildkit' })).toBeVisible()

  await search.fill('no-such-image-anywhere')
  await expect(page.locator(rows)).toHaveCount(0)
  await expect(page.getByText(/No image matches/)).toBeVisible()
  await page.getByRole('button', { name: 'Clear the search' }).click()
  await expect(page.locator(rows)).toHaveCount(images.length)
})

test('clicking the column headers sorts the list and says so with aria-sort', async ({ page }) => {
  await openApp(page)
  const images = await listImages()
  const sizeById = new Map(images.map((image) => [image.id, image.size]))
  const layersById = new Map(images.map((image) => [image.id, image.layerCount]))
  const shownIds = () => page.locator(`${rows} .image-id`).evaluateAll((codes) => codes.map((code) => code.getAttribute('title') ?? ''))
  await expect(page.locator(rows)).toHaveCount(images.length)

  const sizeHeader = page.getByRole('columnheader', { name: 'Size' })
  await sizeHeader.getByRole('button').click()
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'descending')
  const bySizeDescending = (await shownIds()).map((id) => sizeById.get(id) ?? -1)
  expect(bySizeDescending).toEqual([...bySizeDescending].sort((a, b) => b - a))

  await sizeHeader.getByRole('button').click()
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending')
  const bySizeAscending = (await shownIds()).map((id) => sizeById.get(id) ?? -1)
  expect(bySizeAscending).toEqual([...bySizeAscending].sort((a, b) => a - b))

  const layersHeader = page.getByRole('columnheader', { name: 'Layers' })
  await layersHeader.getByRole('button').click()
  await expect(layersHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'none')
  const byLayers = (await shownIds()).map((id) => layersById.get(id) ?? -1)
  expect(byLayers).toEqual([...byLayers].sort((a, b) => b - a))

  const nameHeader = page.getByRole('columnheader', { name: 'Name' })
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  const names = await page.locator(`${rows}:not(.image-row--dangling) .image-name`).allTextContents()
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
})

test('rows open with the keyboard', async ({ page }) => {
  await openApp(page)
  const row = page.getByRole('row', { name: 'Open layerlens-fixtures/debian:bookworm', exact: true })
  await row.focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/image\/sha256/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('layerlens-fixtures/debian:bookworm')
  await page.getByRole('button', { name: '← All images' }).click()
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
})
