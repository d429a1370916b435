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

  /* A kept copy is the anonymous visitor's page; for someone signed in on this device (the
   * owner mark, notes/offline.py) it offers what they can do offline: their notes and this
   * session's editor, instead of "Sign in". */
  function signedInTools() {
    if (document.cookie.split("; ").every(function (c) { return c.indexOf("hugi_owner=") !== 0; })) return;
    var signIn = document.querySelector(".nav-links a[href^='" + script.dataset.loginUrl + "']");
    if (signIn) {
      signIn.href = script.dataset.meUrl;
      signIn.textContent = script.dataset.msgMe;
    }
    var session = document.documentElement.dataset.offlineSession;
    var hint = document.querySelector("main a[href^='" + script.dataset.loginUrl + "']");
    if (session && hint) {
      var link = document.createElement("a");
      link.className = "button";
      link.href = script.dataset.editorPrefix + session + "/";
      link.textContent = script.dataset.msgTakeNotes;
      hint.closest("p").replaceWith(link);
    }
  }

  var savedAt = document.documentElement.dataset.offlineSaved;
  if (savedAt !== undefined) {
    offlineBar(savedAt);
    signedInTools();
  }

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
