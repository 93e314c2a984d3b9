// Lighthouse (mobile preset) on the app shell and the signed-in screens of a running
// Limber. Prints one JSON object: {pages: [{name, url, scores, tbt_ms, failing}]}.
//   node bench/audit.mjs --base http://127.0.0.1:PORT
// Signed-in pages: the browser signs in through the API first (cookie in its jar);
// Lighthouse then clears the service worker, caches and storage but keeps cookies, so
// each screen is measured as a first load of a signed-in user.
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const base = arg("--base", "http://127.0.0.1:5000");
const chrome = process.env.CHROME_PATH || "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const GROUPS = [
  { user: null, pages: [["app shell (signed out)", "/signin"]] },
  {
    user: ["runner@demo.limber.test", "limber-demo-runner"],
    pages: [
      ["Today", "/"],
      ["Log run", "/log"],
      ["Progress", "/progress"],
    ],
  },
  { user: ["coach@demo.limber.test", "limber-demo-coach"], pages: [["Roster", "/clients"]] },
];

async function signIn(page, [email, password]) {
  await page.goto(`${base}/healthz`);
  const status = await page.evaluate(
    async (email, password) => {
      const csrf = (await (await fetch("/api/v1/auth/csrf")).json()).csrf_token;
      const res = await fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ email, password }),
      });
      return res.status;
    },
    email,
    password,
  );
  if (status !== 200) throw new Error(`sign-in as ${email} answered ${status}`);
}

const results = [];
for (const group of GROUPS) {
  const browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage();
    if (group.user) await signIn(page, group.user);
    for (const [name, path] of group.pages) {
      const url = base + path;
      const run = await lighthouse(url, { logLevel: "error", output: "json", onlyCategories: CATEGORIES }, undefined, page);
      const lhr = run.lhr;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));
      const failing = [];
      for (const c of CATEGORIES) {
        for (const ref of lhr.categories[c].auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 0.9) {
            failing.push({ category: c, id: ref.id, score: audit.score, value: audit.displayValue || "" });
          }
        }
      }
      results.push({
        name,
        url,
        final_url: lhr.finalDisplayedUrl,
        scores,
        tbt_ms: Math.round(lhr.audits["total-blocking-time"].numericValue),
        lcp_ms: Math.round(lhr.audits["largest-contentful-paint"].numericValue),
        fcp_ms: Math.round(lhr.audits["first-contentful-paint"].numericValue),
        cls: Number(lhr.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
        failing,
        lighthouse: lhr.lighthouseVersion,
      });
    }
  } finally {
    await browser.close();
  }
}
process.stdout.write(`${JSON.stringify({ pages: results })}\n`);
