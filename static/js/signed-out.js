/* After signing out (and before signing in), forget the pages kept for offline use: they hold
 * the previous user's notes. Drafts that never reached the server stay on this device. */
(function () {
  "use strict";
  if ("caches" in window) {
    caches.delete("hugi-pages-v1");
  }
  if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
  }
})();
