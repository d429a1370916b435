/* hugi's service worker. notes.views.service_worker serves it at /sw.js (so its scope is the
 * whole site) and puts HUGI_SW, its configuration, in front of this file.
 *
 * - The editor pages and /me/ (the signed-in user's own pages): network first, and the last
 *   copy is kept so that a note can be opened offline. Nothing else's HTML is kept.
 * - Static files: cache first when the name carries a content hash, else network first.
 * - POSTs and every other request go straight to the network; nothing else is cached.
 * - Kept pages belong to one person: the one named (Hugi-Owner) by the last page that came from
 *   the server. A page naming anyone else, or no one, forgets them before it is shown: a sign-in
 *   as someone else (also through the admin's form), cleared cookies, an expired session.
 *   Signing out (the POST to the logout URL) forgets them at once. */
"use strict";

/* global HUGI_SW */
var STATIC_CACHE = "hugi-static-v1";
var PAGES_CACHE = "hugi-pages-v1";
var HASHED_NAME = /\.[0-9a-f]{12}\.\w+$/;
var OWNER_KEY = "/.hugi-owner"; // in PAGES_CACHE: whose the kept pages are
var EDITOR_PATH = new RegExp("^" + HUGI_SW.editor_prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\d+/$");

function isPage(url) {
  return url.origin === self.location.origin &&
    (url.pathname === HUGI_SW.me || EDITOR_PATH.test(url.pathname));
}

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(HUGI_SW.static_prefix) === 0;
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("hugi-") === 0 && name !== STATIC_CACHE && name !== PAGES_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function ownerOf(response) {
  return response.headers.get(HUGI_SW.owner_header);
}

/* Forgets the kept pages when the response names another owner than theirs; then the response. */
function followOwner(response) {
  var owner = ownerOf(response);
  if (owner === null) return Promise.resolve(response); // not hugi's answer (a proxy's error page)
  return caches.open(PAGES_CACHE)
    .then(function (cache) { return cache.match(OWNER_KEY); })
    .then(function (kept) { return kept ? kept.text() : HUGI_SW.anonymous; })
    .then(function (keptOwner) {
      if (keptOwner === owner) return null;
      return forgetPages().then(function () {
        if (owner === HUGI_SW.anonymous) return null;
        return caches.open(PAGES_CACHE).then(function (cache) {
          return cache.put(OWNER_KEY, new Response(owner));
        });
      });
    })
    .then(function () { return response; }, function () { return response; });
}

function keepPage(key, response) {
  var owner = ownerOf(response);
  if (!response.ok || response.redirected || response.type !== "basic" ||
      owner === null || owner === HUGI_SW.anonymous) {
    return Promise.resolve(response);
  }
  var copy = response.clone();
  return caches.open(PAGES_CACHE)
    .then(function (cache) { return cache.put(key, copy); })
    .then(function () { return response; }, function () { return response; });
}

function offlinePage() {
  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>" + escape(HUGI_SW.offline_title) + "</title><h1>" + escape(HUGI_SW.offline_title) +
    "</h1><p>" + escape(HUGI_SW.offline_text) + "</p><p><a href='" + escape(HUGI_SW.me) + "'>" +
    escape(HUGI_SW.offline_link) + "</a></p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function pageNetworkFirst(request, url) {
  return fetch(request).then(followOwner).then(function (response) {
    return keepPage(url.pathname, response);
  }, function () {
    return caches.match(url.pathname, { cacheName: PAGES_CACHE }).then(function (kept) {
      return kept || offlinePage();
    });
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

function forgetPages() {
  return caches.delete(PAGES_CACHE);
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
  if (isPage(url)) {
    event.respondWith(pageNetworkFirst(request, url));
  } else if (isStatic(url)) {
    event.respondWith(staticFile(request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(followOwner, offlinePage));
  }
});

/* A page opened before this worker controlled it asks to be kept, with the files it uses. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-page") {
    var url = new URL(data.url, self.location.origin);
    var assets = (data.assets || []).map(function (asset) { return new URL(asset, self.location.origin); })
      .filter(isStatic);
    event.waitUntil(Promise.all([
      isPage(url)
        ? fetch(url.pathname, { credentials: "same-origin" }).then(followOwner).then(function (response) {
            return keepPage(url.pathname, response);
          }).catch(function () {})
        : null,
      caches.open(STATIC_CACHE).then(function (cache) {
        return Promise.all(assets.map(function (asset) {
          return cache.match(asset.href).then(function (kept) {
            return kept || cache.add(asset.href).catch(function () {});
          });
        }));
      }),
    ]));
  } else if (data.type === "forget-pages") {
    event.waitUntil(forgetPages());
  }
});
