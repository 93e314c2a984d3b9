// Writes the precache lists and a content hash into sw.js, so every change to the
// shell gives the service worker new bytes and therefore an update.
// - PRECACHE: what the first screens need (the shell, the signed-out screen, a runner's
//   Today and a practitioner's roster): the files index.html names, the first views and
//   every module they import statically, and the pictures the stylesheet uses. The
//   service worker installs these.
// - LATER: every other file, which the service worker keeps once the page is idle
//   (js/serviceworker.js asks), so the whole app still opens offline.
// `node frontend/tools/precache.mjs --check` fails if sw.js is out of date.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const front = join(dirname(fileURLToPath(import.meta.url)), "..");
const skipDirs = new Set(["tools"]);
// index.html is cached as "/" (the server redirects /index.html there).
const skipFiles = [/^index\.html$/, /^css\/parts\//, /^sw\.js$/, /\.LICENSE\.txt$/, /^\.gitignore$/, /\.md$/, /^img\/icons\/source\//, /^vendor\/uplot/];
// The views someone sees first: signed out, a runner's home, a practitioner's home.
const FIRST_VIEWS = ["js/views/signin.js", "js/views/today.js", "js/views/roster.js"];

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = relative(front, full).split(sep).join("/");
    if (statSync(full).isDirectory()) {
      if (!skipDirs.has(rel)) out.push(...walk(full));
    } else if (!skipFiles.some((re) => re.test(rel))) {
      out.push(rel);
    }
  }
  return out;
}

const read = (rel) => readFileSync(join(front, rel), "utf8");
const resolve = (from, spec) => posix.normalize(posix.join(posix.dirname(from), spec));

// Static imports only: a dynamic import() is loaded when needed, not on the first screen.
function staticImports(rel) {
  const text = read(rel);
  const found = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;"'()]*?(?:from\s*)?["']([^"']+)["']/gm)) {
    if (m[1].startsWith(".")) found.push(resolve(rel, m[1]));
  }
  return found;
}

function cssUrls(rel) {
  const found = [];
  for (const m of read(rel).matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    if (!m[1].startsWith("data:")) found.push(resolve(rel, m[1]));
  }
  return found;
}

function shellRefs() {
  const found = [];
  // The apple-touch-icon PNG is for a home screen, not for drawing the page.
  for (const m of read("index.html").matchAll(/(?:src|href)="\/([^"]+)"/g)) {
    if (!m[1].endsWith(".png")) found.push(m[1]);
  }
  return found;
}

function firstScreens(all) {
  const keep = new Set();
  const queue = [...shellRefs(), ...FIRST_VIEWS];
  while (queue.length) {
    const rel = queue.shift();
    if (keep.has(rel) || !all.has(rel)) continue;
    keep.add(rel);
    if (rel.endsWith(".js")) queue.push(...staticImports(rel));
    if (rel.endsWith(".css")) queue.push(...cssUrls(rel));
  }
  return keep;
}

const files = walk(front);
const all = new Set(files);
for (const view of FIRST_VIEWS) {
  if (!all.has(view)) throw new Error(`precache.mjs: first view ${view} is missing`);
}
const first = firstScreens(all);
const hash = createHash("sha256");
for (const f of files) {
  hash.update(f);
  hash.update(readFileSync(join(front, f)));
}
hash.update(read("index.html"));
const version = hash.digest("hex").slice(0, 12);
const precache = ["/", ...files.filter((f) => first.has(f)).map((f) => `/${f}`)];
const later = files.filter((f) => !first.has(f)).map((f) => `/${f}`);
const block =
  "// BEGIN GENERATED (npm run precache)\n" +
  `const VERSION = "${version}";\n` +
  `const PRECACHE = ${JSON.stringify(precache, null, 2)};\n` +
  `const LATER = ${JSON.stringify(later, null, 2)};\n` +
  "// END GENERATED";

const swPath = join(front, "sw.js");
const sw = readFileSync(swPath, "utf8");
const next = sw.replace(/\/\/ BEGIN GENERATED[\s\S]*?\/\/ END GENERATED/, block);
if (process.argv.includes("--check")) {
  if (next !== sw) {
    console.error("frontend/sw.js precache list is stale: run `npm run precache`");
    process.exit(1);
  }
  console.log(`sw.js up to date (version ${version}, ${precache.length} files precached, ${later.length} later)`);
} else {
  writeFileSync(swPath, next);
  console.log(`sw.js version ${version}, ${precache.length} files precached, ${later.length} kept later`);
}
