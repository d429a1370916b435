/* hugi's service worker. notes.views.service_worker serves it at /sw.js (so its scope is the
 * whole site) and puts HUGI_SW, its configuration, in front of this file; sw-keep.js (imported
 * below) keeps whole conferences for offline use.
 *
 * - The signed-in user's own pages (/me/, the editors, the editor's offline shell): network
 *   first, and the last copy is kept so that a note can be opened offline.
 * - A conference's public pages, once kept (sw-keep.js): from the network when it answers
 *   within a few seconds, else the kept anonymous copy, marked as such for offline.js.
 * - Static files: cache first when the name carries a content hash, else network first.
 * - POSTs and every other request go straight to the network; nothing else is cached.
 * - The user's pages belong to one person: the one named (Hugi-Owner) by the last page that came
 *   from the server. A page naming anyone else, or no one, forgets them before it is shown: a
 *   sign-in as someone else (also through the admin's form), cleared cookies, an expired
 *   session. Signing out (the POST to the logout URL) forgets them at once. The kept
 *   conferences are anonymous copies and stay. */
"use strict";

/* global HUGI_SW, importScripts, isPicture, keptCopy, keptConferences, keptPicture, keepConference, shellFor */
var STATIC_CACHE = "hugi-static-v1";
var PAGES_CACHE = "hugi-pages-v1";
var KEPT_CACHE = "hugi-kept-v1";
var HASHED_NAME = /\.[0-9a-f]{12}\.\w+$/;
var OWNER_KEY = "/.hugi-owner"; // in PAGES_CACHE: whose the kept pages are
var EDITOR_PATH = new RegExp("^" + HUGI_SW.editor_prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(\\d+)/$");
// A page kept offline is shown when the network has not answered by then (bad Wi-Fi).
var NETWORK_PATIENCE_MS = 5000;

importScripts(HUGI_SW.keep_script);

function isOwnPage(url) {
  return url.origin === self.location.origin &&
    (url.pathname === HUGI_SW.me || url.pathname === HUGI_SW.shell || EDITOR_PATH.test(url.pathname));
}

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(HUGI_SW.static_prefix) === 0;
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  var current = [STATIC_CACHE, PAGES_CACHE, KEPT_CACHE];
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("hugi-") === 0 && current.indexOf(name) === -1;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

/* The user's pages change one at a time: forgetting them (another owner) and keeping one must
 * not interleave, or a page kept between a check and a forget would be lost. */
var pagesQueue = Promise.resolve();
function withPages(task) {
  var run = pagesQueue.then(task);
  pagesQueue = run.catch(function () {});
  return run;
}

function ownerOf(response) {
  return response.headers.get(HUGI_SW.owner_header);
}

/* Forgets the user's pages when the response names another owner than theirs; then the response. */
function followOwner(response) {
  var owner = ownerOf(response);
  if (owner === null) return Promise.resolve(response); // not hugi's answer (a proxy's error page)
  return withPages(function () {
    return caches.open(PAGES_CACHE)
      .then(function (cache) { return cache.match(OWNER_KEY); })
      .then(function (kept) { return kept ? kept.text() : HUGI_SW.anonymous; })
      .then(function (keptOwner) {
        if (keptOwner === owner) return null;
        return caches.delete(PAGES_CACHE).then(function () {
          if (owner === HUGI_SW.anonymous) return null;
          return caches.open(PAGES_CACHE).then(function (cache) {
            return cache.put(OWNER_KEY, new Response(owner));
          });
        });
      });
  }).then(function () { return response; }, function () { return response; });
}

function keepPage(key, response) {
  var owner = ownerOf(response);
  if (!response.ok || response.redirected || response.type !== "basic" ||
      owner === null || owner === HUGI_SW.anonymous) {
    return Promise.resolve(response);
  }
  var copy = response.clone();
  return withPages(function () {
    return caches.open(PAGES_CACHE).then(function (cache) {
      return cache.match(OWNER_KEY).then(function (kept) {
        // Only while the pages are this owner's (a sign-out may have come in between).
        return kept && kept.text().then(function (keptOwner) {
          if (keptOwner === owner) return cache.put(key, copy);
          return null;
        });
      });
    });
  }).then(function () { return response; }, function () { return response; });
}

function forgetPages() {
  return withPages(function () { return caches.delete(PAGES_CACHE); });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

/* The page for an address kept nowhere: what is kept instead, conference by conference. */
function offlinePage() {
  return keptConferences().then(function (metas) {
    var items = metas.filter(function (meta) { return meta.complete; }).map(function (meta) {
      return "<li><a href='" + escapeHtml(meta.conference.url) + "'>" + escapeHtml(meta.conference.name) +
        "</a></li>";
    }).join("");
    var texts = HUGI_SW.texts;
    var html = "<!doctype html><html lang='" + escapeHtml(HUGI_SW.lang) + "'><meta charset=utf-8>" +
      "<meta name=viewport content='width=device-width'><title>" + escapeHtml(texts.offline_title) +
      "</title><body style='font-family:system-ui,sans-serif;margin:1.5rem;line-height:1.5'><main><h1>" +
      escapeHtml(texts.offline_title) + "</h1><p>" + escapeHtml(texts.offline_text) + "</p>" +
      (items ? "<h2>" + escapeHtml(texts.offline_kept) + "</h2><ul>" + items + "</ul>" : "") +
      "<p><a href='" + escapeHtml(HUGI_SW.me) + "'>" + escapeHtml(texts.offline_link) + "</a></p></main>";
    return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

/* The network's answer, or a rejection once it has kept us waiting too long. */
function patientFetch(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, NETWORK_PATIENCE_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function ownPage(request, url) {
  return patientFetch(request).then(followOwner).then(function (response) {
    return keepPage(url.pathname, response);
  }, function () {
    return caches.match(url.pathname, { cacheName: PAGES_CACHE }).then(function (kept) {
      if (kept) return kept;
      var editor = EDITOR_PATH.exec(url.pathname);
      return (editor ? shellFor(editor[1]) : Promise.resolve(null)).then(function (shell) {
        return shell || offlinePage();
      });
    });
  });
}

function publicPage(request, url) {
  return keptCopy(url.pathname).then(function (kept) {
    if (!kept) return fetch(request).then(followOwner, offlinePage);
    return patientFetch(request).then(followOwner, function () { return kept; });
  });
}

function staticFile(request, url) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    function fromNetwork() {
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    }
    if (HASHED_NAME.test(url.pathname)) {
      // A hashed name never changes content: the kept copy is as good as the network's.
      return cache.match(request).then(function (kept) { return kept || fromNetwork(); });
    }
    return fromNetwork().catch(function () {
      return cache.match(request).then(function (kept) { return kept || Response.error(); });
    });
  });
}

/* Pictures kept with a conference (its second choice): the network first. */
function keptMedia(request, url) {
  return fetch(request).catch(function () {
    return keptPicture(url.pathname).then(function (kept) { return kept || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Never answered from a cache; signing out forgets the signed-in user's pages.
    if (request.method === "POST" && url.pathname === HUGI_SW.logout) event.waitUntil(forgetPages());
    return;
  }
  if (isOwnPage(url)) {
    event.respondWith(ownPage(request, url));
  } else if (isStatic(url)) {
    event.respondWith(staticFile(request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(publicPage(request, url));
  } else if (isPicture(url.pathname)) {
    event.respondWith(keptMedia(request, url));
  }
});

function keepStatic(urls) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (href) {
      return cache.match(href).then(function (kept) {
        return kept || cache.add(href).catch(function () {});
      });
    }));
  });
}

/* A page opened before this worker controlled it asks to be kept, with the files it uses; a
 * conference page asks for its conference (sw-keep.js). */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-page") {
    var url = new URL(data.url, self.location.origin);
    var assets = (data.assets || []).map(function (asset) { return new URL(asset, self.location.origin); })
      .filter(isStatic).map(function (asset) { return asset.href; });
    event.waitUntil(Promise.all([
      isOwnPage(url)
        ? fetch(url.pathname, { credentials: "same-origin" }).then(followOwner).then(function (response) {
            return keepPage(url.pathname, response);
          }).catch(function () {})
        : null,
      keepStatic(assets),
    ]));
  } else if (data.type === "keep-conference") {
    event.waitUntil(keepConference(data));
  } else if (data.type === "forget-pages") {
    event.waitUntil(forgetPages());
  }
});
