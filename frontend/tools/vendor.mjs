// Copies the pinned browser libraries from node_modules into frontend/vendor/,
// so the app is served without a bundler and the files are committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "frontend", "vendor");
mkdirSync(out, { recursive: true });

const files = [
  ["idb-keyval/dist/index.js", "idb-keyval.js"],
  ["idb-keyval/LICENCE", "idb-keyval.LICENSE.txt"],
  ["uplot/dist/uPlot.esm.js", "uplot.esm.js"],
  ["uplot/dist/uPlot.min.css", "uplot.min.css"],
  ["uplot/LICENSE", "uplot.LICENSE.txt"],
];
for (const [from, to] of files) {
  copyFileSync(join(root, "node_modules", from), join(out, to));
  console.log(`vendored ${from} -> frontend/vendor/${to}`);
}

// axe-core is only for the browser tests, which inject it into each page.
const testVendor = join(root, "tests", "browser", "vendor");
mkdirSync(testVendor, { recursive: true });
copyFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(testVendor, "axe.min.js"));
copyFileSync(join(root, "node_modules", "axe-core", "LICENSE"), join(testVendor, "axe-core.LICENSE.txt"));
console.log("vendored axe-core -> tests/browser/vendor/axe.min.js");
