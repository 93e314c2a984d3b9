// Writes the precache list and a content hash into sw.js, so every change to the
// shell gives the service worker new bytes and therefore an update.
// `node frontend/tools/precache.mjs --check` fails if sw.js is out of date.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const front = join(dirname(fileURLToPath(import.meta.url)), "..");
const skipDirs = new Set(["tools"]);
// index.html is cached as "/" (the server redirects /index.html there).
const skipFiles = [/^index\.html$/, /^css\/parts\//, /^sw\.js$/, /\.LICENSE\.txt$/, /^\.gitignore$/, /\.md$/, /^img\/icons\/source\//, /^vendor\/uplot/];

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

const files = walk(front);
const hash = createHash("sha256");
for (const f of files) {
  hash.update(f);
  hash.update(readFileSync(join(front, f)));
}
const version = hash.digest("hex").slice(0, 12);
const urls = ["/", ...files.map((f) => `/${f}`)];
const block =
  "// BEGIN GENERATED (npm run precache)\n" +
  `const VERSION = "${version}";\n` +
  `const PRECACHE = ${JSON.stringify(urls, null, 2)};\n` +
  "// END GENERATED";

const swPath = join(front, "sw.js");
const sw = readFileSync(swPath, "utf8");
const next = sw.replace(/\/\/ BEGIN GENERATED[\s\S]*?\/\/ END GENERATED/, block);
if (process.argv.includes("--check")) {
  if (next !== sw) {
    console.error("frontend/sw.js precache list is stale: run `npm run precache`");
    process.exit(1);
  }
  console.log(`sw.js up to date (version ${version}, ${urls.length} files)`);
} else {
  writeFileSync(swPath, next);
  console.log(`sw.js version ${version}, ${urls.length} files precached`);
}
