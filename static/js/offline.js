/* On every page: installs hugi's service worker, so that kept conferences, notes and "My hugi"
 * open without a network; a page opened before the worker took over asks it to keep a copy of
 * itself (when it is the user's own) and of its files. A page the worker answered from a kept
 * copy (the data-offline-saved mark, sw-keep.js) says so in a bar at the top. */
(function () {
  "use strict";
  if (window.hugiOfflineLoaded) return; // some pages name this script twice
  window.hugiOfflineLoaded = true;
  var script = document.currentScript;
  if (!script) return;
  var lang = document.documentElement.lang || undefined;

  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function clock(iso) {
    var date = new Date(iso);
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (new Date().toDateString() !== date.toDateString()) {
      options.month = "short";
      options.day = "numeric";
    }
    return new Intl.DateTimeFormat(lang, options).format(date);
  }

  function offlineBar(savedAt) {
    var bar = document.createElement("p");
    bar.className = "offline-bar";
    bar.setAttribute("role", "status");
    bar.textContent = fill(script.dataset.msgOffline, { time: savedAt ? clock(savedAt) : "—" });
    document.body.insertBefore(bar, document.body.firstChild);
    window.addEventListener("online", function () {
      bar.textContent = script.dataset.msgOnline + " ";
      var reload = document.createElement("a");
      reload.href = location.href;
      reload.textContent = script.dataset.msgReload;
      bar.append(reload);
      bar.classList.add("is-online");
    });
  }

  var savedAt = document.documentElement.dataset.offlineSaved;
  if (savedAt !== undefined) offlineBar(savedAt);

  if (!("serviceWorker" in navigator)) return;
  var servedByWorker = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker
    .register(script.dataset.serviceWorker, { scope: "/" })
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
