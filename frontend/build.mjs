// Builds Involve's front-end assets into core/static/ (git-ignored output).
//
//   cd frontend && npm ci && npm run build
//
// 1. Compiles src/involve.scss (GOV.UK Frontend + project styles) to
//    core/static/build/involve.css, compressed.
// 2. Copies GOV.UK Frontend's ES module bundle to
//    core/static/build/govuk-frontend.min.js (+ its source map).
// 3. Copies into core/static/govuk/assets/ only the asset files that the
//    compiled CSS actually references, refusing GOV.UK-branded artwork and the
//    restricted GDS Transport font files.
// 4. Copies Swagger UI (swagger-ui-dist) to core/static/build/swagger-ui/ for
//    the API explorer at /api/v1/docs, served from this origin (no CDN).
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const require = createRequire(import.meta.url)
const frontendDir = path.dirname(fileURLToPath(import.meta.url))
const staticDir = path.resolve(frontendDir, '..', 'core', 'static')
const buildDir = path.join(staticDir, 'build')
const assetsOutDir = path.join(staticDir, 'govuk', 'assets')
const govukDist = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
  'govuk'
)

// URL prefix under which Flask serves core/static/govuk/assets/. Must match
// $govuk-assets-path in src/involve.scss and _asset-urls.scss.
const ASSETS_URL_PREFIX = '/static/govuk/assets/'

// Never ship these, even if something starts referencing them.
const FORBIDDEN_ASSETS = [
  /^fonts\//, // GDS Transport: restricted to GOV.UK services
  /crest/i,
  /crown/i,
  /^images\/govuk-/, // GOV.UK icons, logos, opengraph image
  /^manifest\.json$/ // points at GOV.UK icons
]

// MOJ Frontend ships the few images its components reference (the filter's close icon, say).
const mojAssets = path.join(
  path.dirname(require.resolve('@ministryofjustice/frontend/package.json')),
  'moj',
  'assets'
)

const relative = (p) => path.relative(path.resolve(frontendDir, '..'), p)

async function buildCss (name = 'involve') {
  const result = sass.compile(path.join(frontendDir, 'src', `${name}.scss`), {
    style: 'compressed',
    importers: [new sass.NodePackageImporter(frontendDir)],
    // MOJ Frontend's Sass reaches GOV.UK Frontend as node_modules/govuk-frontend/…
    loadPaths: [frontendDir],
    quietDeps: true
  })
  const out = path.join(buildDir, `${name}.css`)
  await writeFile(out, result.css + '\n')
  return { out, css: result.css }
}

async function copyJs () {
  const copied = []
  const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`))
  const files = [
    [path.join(govukDist, 'govuk-frontend.min.js'), 'govuk-frontend.min.js'],
    [path.join(govukDist, 'govuk-frontend.min.js.map'), 'govuk-frontend.min.js.map'],
    // MOJ Frontend's components as one ES module (sortable table, add another, filter toggle).
    [path.join(packageDir('@ministryofjustice/frontend'), 'moj', 'all.bundle.mjs'), 'moj-frontend.mjs'],
    // Finding a resident by name: a progressive enhancement of a plain <select>.
    [path.join(packageDir('accessible-autocomplete'), 'dist', 'accessible-autocomplete.min.js'), 'accessible-autocomplete.min.js'],
    [path.join(packageDir('accessible-autocomplete'), 'dist', 'accessible-autocomplete.min.css'), 'accessible-autocomplete.min.css']
  ]
  for (const [source, name] of files) {
    const dest = path.join(buildDir, name)
    await copyFile(source, dest)
    copied.push(dest)
  }
  return copied
}

// The API explorer's files (started by core/static/swagger-init.js, not an inline script).
async function copySwaggerUi () {
  const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'))
  const dest = path.join(buildDir, 'swagger-ui')
  await mkdir(dest, { recursive: true })
  const copied = []
  for (const name of ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE']) {
    await copyFile(path.join(dist, name), path.join(dest, name))
    copied.push(path.join(dest, name))
  }
  return copied
}

function referencedAssets (css) {
  const found = new Set()
  for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    const url = match[1]
    if (url.startsWith('data:')) continue
    if (!url.startsWith(ASSETS_URL_PREFIX)) {
      throw new Error(`Unexpected asset URL in compiled CSS: ${url}`)
    }
    found.add(url.slice(ASSETS_URL_PREFIX.length).split(/[?#]/)[0])
  }
  return [...found].sort()
}

async function copyAssets (assets) {
  await rm(path.join(staticDir, 'govuk'), { recursive: true, force: true })
  const copied = []
  for (const asset of assets) {
    if (FORBIDDEN_ASSETS.some((pattern) => pattern.test(asset))) {
      throw new Error(
        `Compiled CSS references GOV.UK-branded or restricted asset "${asset}"; ` +
          'Involve must not use it (check src/involve.scss settings).'
      )
    }
    const dest = path.join(assetsOutDir, asset)
    await mkdir(path.dirname(dest), { recursive: true })
    const fromGovuk = path.join(govukDist, 'assets', asset)
    const source = await stat(fromGovuk).then(() => fromGovuk, () => path.join(mojAssets, asset))
    await copyFile(source, dest)
    copied.push(dest)
  }
  return copied
}

async function main () {
  await rm(buildDir, { recursive: true, force: true })
  await mkdir(buildDir, { recursive: true })

  const { out: cssFile, css } = await buildCss()
  const { out: mojCssFile, css: mojCss } = await buildCss('moj')
  const jsFiles = [...(await copyJs()), ...(await copySwaggerUi())]

  if (/GDS Transport/i.test(css + mojCss)) {
    throw new Error('Compiled CSS still mentions the GDS Transport font')
  }
  const assetFiles = await copyAssets(referencedAssets(css + mojCss))

  for (const file of [cssFile, mojCssFile, ...jsFiles, ...assetFiles]) {
    const { size } = await stat(file)
    console.log(`${relative(file).padEnd(48)} ${(size / 1024).toFixed(1).padStart(7)} KiB`)
  }
  if (assetFiles.length === 0) {
    console.log('(the CSS references no image or font assets; none copied)')
  }
  const gzipped = (await import('node:zlib')).gzipSync(await readFile(cssFile)).length
  console.log(`involve.css gzipped: ${(gzipped / 1024).toFixed(1)} KiB`)
}

main().catch((error) => {
  console.error(error.message ?? error)
  process.exitCode = 1
})
