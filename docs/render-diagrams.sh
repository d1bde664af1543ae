#!/usr/bin/env bash
# Render every bpmn/*.bpmn to docs/<name>.png with the real bpmn-js viewer
# running in Debian's headless Chromium (/usr/bin/chromium).
#
# Usage:   docs/render-diagrams.sh
# Needs:   bash, node (>= 20) + npm (registry access), /usr/bin/chromium
#          (Debian: apt-get install -y chromium)
# Tunables (environment):
#   RENDER_ZOOM       diagram zoom factor, default 1.5 (smaller if the width cap hits)
#   RENDER_MAX_WIDTH  maximum image width in px, default 1600
#   RENDER_PADDING    white margin around the diagram in px, default 30
#   CHROMIUM          browser binary, default /usr/bin/chromium
#
# Nothing is installed into the repository: bpmn-js and playwright-core go to a
# throw-away temp dir that is removed on exit. playwright-core never downloads
# a browser; it drives the system Chromium.
set -euo pipefail

cd "$(dirname "$0")/.."

BPMN_JS_VERSION=18.31.1
PLAYWRIGHT_CORE_VERSION=1.65.1
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$CHROMIUM" ]]; then
  echo "error: $CHROMIUM not found (apt-get install -y chromium)" >&2
  exit 1
fi

shopt -s nullglob
diagrams=(bpmn/*.bpmn)
if (( ${#diagrams[@]} == 0 )); then
  echo "error: no bpmn/*.bpmn files found" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/render-diagrams.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo '{"name":"render-diagrams","private":true}' > "$work/package.json"
(
  cd "$work"
  npm install --silent --no-audit --no-fund --no-package-lock \
    "bpmn-js@$BPMN_JS_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2
)

# Page that hosts the viewer; assets are loaded from the temp node_modules.
cat > "$work/index.html" <<'HTML'
<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <link rel="stylesheet" href="node_modules/bpmn-js/dist/assets/diagram-js.css">
  <link rel="stylesheet" href="node_modules/bpmn-js/dist/assets/bpmn-js.css">
  <link rel="stylesheet" href="node_modules/bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css">
  <style>
    html, body { margin: 0; padding: 0; background: #fff; overflow: hidden; }
    #canvas { position: absolute; inset: 0; background: #fff; }
  </style>
  <script src="node_modules/bpmn-js/dist/bpmn-viewer.production.min.js"></script>
</head>
<body>
  <div id="canvas"></div>
  <script>window.viewer = new BpmnJS({ container: '#canvas' });</script>
</body>
</html>
HTML

cat > "$work/render.cjs" <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const [workDir, chromiumPath, ...files] = process.argv.slice(2);
const ZOOM = Number(process.env.RENDER_ZOOM || 1.5);
const MAX_WIDTH = Number(process.env.RENDER_MAX_WIDTH || 1600);
const PAD = Number(process.env.RENDER_PADDING || 30);
const BOTTOM_EXTRA = 30; // keeps the bpmn.io watermark clear of the diagram

(async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    chromiumSandbox: false, // adds --no-sandbox (needed as root)
    args: [
      '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync',
    ],
  });
  let failed = false;
  try {
    const context = await browser.newContext({
      viewport: { width: MAX_WIDTH, height: 1000 },
      deviceScaleFactor: 1,
    });
    // Only local files: the viewer must never reach out to the network.
    await context.route(/^(?!file:)/, (route) => route.abort());
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));

    for (const file of files) {
      const name = path.basename(file, '.bpmn');
      const out = path.join('docs', name + '.png');
      try {
        await page.setViewportSize({ width: MAX_WIDTH, height: 1000 });
        await page.goto(pathToFileURL(path.join(workDir, 'index.html')).href);
        await page.waitForFunction(() => window.viewer);

        const xml = fs.readFileSync(file, 'utf8');
        const result = await page.evaluate(async (xml) => {
          try {
            const { warnings } = await window.viewer.importXML(xml);
            const canvas = window.viewer.get('canvas');
            canvas.zoom('fit-viewport');
            const inner = canvas.viewbox().inner; // diagram bbox incl. labels
            return { warnings: warnings.map((w) => w.message), inner };
          } catch (err) {
            return { error: err.message };
          }
        }, xml);
        if (result.error) throw new Error('import failed: ' + result.error);
        for (const w of result.warnings) console.error(`${file}: warning: ${w}`);

        const { inner } = result;
        if (!inner || !(inner.width > 0) || !(inner.height > 0)) {
          throw new Error('diagram has no visible elements (missing BPMNDI?)');
        }
        // fit-viewport never zooms in beyond 100 %, so size the page to the
        // diagram and set the viewbox explicitly.
        const zoom = Math.min(ZOOM, (MAX_WIDTH - 2 * PAD) / inner.width);
        const width = Math.ceil(inner.width * zoom + 2 * PAD);
        const height = Math.ceil(inner.height * zoom + 2 * PAD + BOTTOM_EXTRA);
        await page.setViewportSize({ width, height });
        await page.evaluate(({ inner, zoom, width, height, PAD }) => {
          const canvas = window.viewer.get('canvas');
          canvas.resized();
          canvas.viewbox({
            x: inner.x - PAD / zoom,
            y: inner.y - PAD / zoom,
            width: width / zoom,
            height: height / zoom,
          });
          return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        }, { inner, zoom, width, height, PAD });

        await page.locator('#canvas').screenshot({ path: out, animations: 'disabled' });
        console.log(`wrote ${out} (${width}x${height})`);
      } catch (err) {
        failed = true;
        console.error(`${file}: ${err.message}`);
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
JS

mkdir -p docs
# TMPDIR -> Playwright's temporary Chromium profile (--user-data-dir) lives in $work too.
TMPDIR="$work" node "$work/render.cjs" "$work" "$CHROMIUM" "${diagrams[@]}"
