/* Installs hugi's service worker so that the notes and "My hugi" pages open without a network.
 * A page opened before the worker took over asks it to keep a copy of itself and its files. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  var workerUrl = script.dataset.serviceWorker;
  var servedByWorker = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker
    .register(workerUrl, { scope: "/" })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function (registration) {
      if (servedByWorker || !registration.active) return;
      var assets = Array.prototype.map.call(
        document.querySelectorAll("script[src], link[rel=stylesheet][href]"),
        function (element) {
          return element.src || element.href;
        }
      );
      registration.active.postMessage({ type: "keep-page", url: location.pathname, assets: assets });
    })
    .catch(function () {
      /* no worker (private mode, old browser): the draft in localStorage still keeps the text */
    });
})();
