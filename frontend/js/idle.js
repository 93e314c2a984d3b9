// Once the first screen is drawn and the browser has nothing else to do, ask the
// service worker to keep the rest of the app (other views, exercise pictures) so that
// every screen opens offline. The first visit downloads only what it shows.
function whenIdle(fn) {
  if ("requestIdleCallback" in self) requestIdleCallback(fn, { timeout: 10_000 });
  else setTimeout(fn, 2_000);
}

function afterLoad(fn) {
  if (document.readyState === "complete") fn();
  else addEventListener("load", fn, { once: true });
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.ready.then((reg) =>
    afterLoad(() => whenIdle(() => reg.active && reg.active.postMessage({ type: "CACHE_REST" }))),
  );
}
