/* Keeping whole conferences for offline use; imported by sw.js (and shares its scope).
 *
 * A conference page asks (keep-offline.js). The worker reads the conference's offline list
 * (/<conference>/offline.json: every page with its validator, and its sessions for the
 * editor's shell), fetches the pages whose validator changed since last time as an anonymous
 * visitor in the page's language, keeps them and the static files they use in KEPT_CACHE /
 * STATIC_CACHE, and writes down what it kept under META_PREFIX + slug. Progress goes to every
 * open page. A conference counts as kept ("complete") only once every page of the list is. */
"use strict";

/* global HUGI_SW, KEPT_CACHE, PAGES_CACHE, escapeHtml, followOwner, keepPage, keepStatic */
var META_PREFIX = "/.hugi-kept/";
var PARALLEL_FETCHES = 4;
var RECHECK_AFTER_MS = 5 * 60 * 1000; // a visit sooner than this does not ask the server again
var running = {};

function metaKey(slug) {
  return META_PREFIX + encodeURIComponent(slug);
}

function readMeta(cache, slug) {
  return cache.match(metaKey(slug)).then(function (kept) { return kept ? kept.json() : null; });
}

function writeMeta(cache, meta) {
  return cache.put(metaKey(meta.conference.slug), new Response(JSON.stringify(meta), {
    headers: { "Content-Type": "application/json" },
  }));
}

/* Every kept conference's record, complete or not. */
function keptConferences() {
  return caches.open(KEPT_CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return new URL(request.url).pathname.indexOf(META_PREFIX) === 0;
      }).map(function (request) {
        return cache.match(request).then(function (kept) { return kept.json(); });
      }));
    });
  });
}

/* A kept page, marked with when its conference was saved for the offline bar; or null. */
function keptCopy(path) {
  var slug = decodeURIComponent(path.split("/")[1] || "");
  if (!slug) return Promise.resolve(null);
  return caches.open(KEPT_CACHE).then(function (cache) {
    return Promise.all([cache.match(path), readMeta(cache, slug)]);
  }).then(function (found) {
    var page = found[0];
    var meta = found[1];
    if (!page || !meta) return null;
    // A session page names its session, so that offline.js can offer its editor.
    var sessionId = Object.keys(meta.sessions || {}).filter(function (id) {
      return meta.sessions[id].url === path;
    })[0] || "";
    return page.text().then(function (html) {
      var mark = "<html data-offline-saved=\"" + escapeHtml(meta.savedAt || "") + "\" " +
        "data-offline-session=\"" + escapeHtml(sessionId) + "\" ";
      return new Response(html.replace("<html ", mark), { status: 200, headers: pageHeaders(page) });
    });
  });
}

/* The editor's shell filled in for a session of a kept conference, or null. */
function shellFor(sessionId) {
  return Promise.all([
    caches.match(HUGI_SW.shell, { cacheName: PAGES_CACHE }),
    keptConferences(),
  ]).then(function (found) {
    var shell = found[0];
    var meta = found[1].filter(function (kept) { return kept.sessions && kept.sessions[sessionId]; })[0];
    if (!shell || !meta) return null;
    var session = meta.sessions[sessionId];
    var words = HUGI_SW.stand_in.words;
    var swaps = [
      [words.title, session.title],
      [words.conference, meta.conference.name],
      [words.url, session.url],
      [words.when, session.when],
      [words.room, session.room],
      [words.speakers, session.speakers],
      [words.zone, meta.conference.zone],
    ];
    return shell.text().then(function (html) {
      // A session without room or speakers: no empty line for them.
      if (!session.room) html = html.replace(/<li class="meta-room">[\s\S]*?<\/li>/, "");
      if (!session.speakers) html = html.replace(/<li class="meta-speakers">[\s\S]*?<\/li>/, "");
      swaps.forEach(function (swap) { html = html.split(swap[0]).join(escapeHtml(swap[1])); });
      html = html.split(String(HUGI_SW.stand_in.pk)).join(String(Number(sessionId)));
      return new Response(html, { status: 200, headers: pageHeaders(shell) });
    });
  });
}

/* The headers a page made from a kept one carries: its type, and its policy (whose nonce the
 * page's inline scripts carry); not its length or encoding, which the new body does not have. */
function pageHeaders(kept) {
  var headers = new Headers();
  ["Content-Type", "Content-Security-Policy", HUGI_SW.owner_header].forEach(function (name) {
    var value = kept.headers.get(name);
    if (value !== null) headers.set(name, value);
  });
  return headers;
}

function tell(message) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

/* Uploads (logos, speakers' pictures) and public photos in one of their sizes. */
var PHOTO_FILE = new RegExp("^" + HUGI_SW.photo_prefix + "(\\d+)/(?:original|\\d+)/$");
function isPicture(path) {
  return path.indexOf(HUGI_SW.media_prefix) === 0 || PHOTO_FILE.test(path);
}

/* A kept picture, offline: the size asked for, else any size kept of the same photo (a page's
 * srcset may ask for another size than the one kept). */
function keptPicture(path) {
  return caches.open(KEPT_CACHE).then(function (cache) {
    return cache.match(path).then(function (kept) {
      var photo = PHOTO_FILE.exec(path);
      if (kept || !photo) return kept;
      var prefix = HUGI_SW.photo_prefix + photo[1] + "/";
      return cache.keys().then(function (requests) {
        var other = requests.filter(function (request) {
          return new URL(request.url).pathname.indexOf(prefix) === 0;
        })[0];
        return other ? cache.match(other) : null;
      });
    });
  });
}

/* The static files (and, asked for, the pictures) a page uses. */
var STATIC_IN_HTML = /(?:src|href)="([^"]+)"/g;
function filesOf(html, withPhotos) {
  var found = [];
  var match;
  STATIC_IN_HTML.lastIndex = 0;
  while ((match = STATIC_IN_HTML.exec(html))) {
    var path = match[1].replace(/&amp;/g, "&");
    if (path.indexOf(HUGI_SW.static_prefix) === 0) found.push(["static", path]);
    else if (withPhotos && isPicture(path)) found.push(["media", path]);
  }
  return found;
}

function anonymousFetch(path, lang) {
  return fetch(path, {
    credentials: "omit",
    cache: "no-store",
    headers: lang ? { "Accept-Language": lang } : {},
  });
}

/* Keeps (or brings up to date) one conference; data: the keep-conference message. */
function keepConference(data) {
  var listUrl = new URL(data.list, self.location.origin).pathname;
  if (!running[listUrl]) {
    running[listUrl] = keepFromList(listUrl, data).then(function (result) {
      delete running[listUrl];
      return result;
    }, function (error) {
      delete running[listUrl];
      throw error;
    });
  }
  return running[listUrl].catch(function () {});
}

function keepFromList(listUrl, data) {
  var lang = data.lang || "";
  var slug = decodeURIComponent(listUrl.split("/")[1]);
  var started = Date.now();
  return caches.open(KEPT_CACHE).then(function (cache) {
    return readMeta(cache, slug).then(function (old) {
      var fresh = old && old.complete && old.lang === lang && old.photos === Boolean(data.photos);
      if (!data.force && fresh && started - old.checkedAt < RECHECK_AFTER_MS) {
        return tell({ type: "keep-done", slug: slug, savedAt: old.savedAt, total: old.total });
      }
      return anonymousFetch(listUrl, lang).then(function (response) {
        if (!response.ok) throw new Error("list");
        return response.json();
      }).then(function (list) {
        return keepPages(cache, list, old && old.lang === lang ? old : null, data, slug, started);
      }).catch(function (error) {
        var storage = error && error.name === "QuotaExceededError";
        return tell({ type: "keep-failed", slug: slug, reason: storage ? "storage" : "network" });
      });
    });
  });
}

function keepPages(cache, list, old, data, slug, started) {
  var lang = data.lang || "";
  var keptPages = (old && old.pages) || {};
  var wanted = {};
  list.pages.forEach(function (entry) { wanted[entry[0]] = entry[1]; });
  var todo = list.pages.filter(function (entry) { return keptPages[entry[0]] !== entry[1]; });
  var total = list.pages.length;
  var done = total - todo.length;
  var files = {};
  var failure = null;
  var lastTold = 0;
  var meta = {
    conference: list.conference,
    sessions: list.sessions,
    pages: {},
    lang: lang,
    photos: Boolean(data.photos),
    total: total,
    savedAt: old ? old.savedAt : null,
    checkedAt: started,
    complete: Boolean(old && old.complete),
  };
  Object.keys(keptPages).forEach(function (path) {
    if (path in wanted) meta.pages[path] = keptPages[path];
  });

  function progress(force) {
    var now = Date.now();
    if (!force && now - lastTold < 250) return null;
    lastTold = now;
    return tell({ type: "keep-progress", slug: slug, done: done, total: total });
  }

  function keepOne(entry) {
    var path = entry[0];
    return anonymousFetch(path, lang).then(function (response) {
      // Only an anonymous visitor's copy, whole: never one that names a person.
      if (!response.ok || response.redirected || response.headers.get(HUGI_SW.owner_header) !== HUGI_SW.anonymous) {
        throw new Error("page");
      }
      return response.clone().text().then(function (html) {
        filesOf(html, data.photos).forEach(function (file) { files[file[1]] = file[0]; });
        return cache.put(path, response);
      });
    }).then(function () {
      meta.pages[path] = entry[1];
      done += 1;
      return progress(false);
    });
  }

  function worker(queue) {
    if (failure || !queue.length) return Promise.resolve();
    return keepOne(queue.shift()).then(function () { return worker(queue); }, function (error) {
      failure = error;
    });
  }

  var queue = todo.slice();
  var workers = [];
  for (var i = 0; i < PARALLEL_FETCHES; i += 1) workers.push(worker(queue));
  return progress(true).then(function () {
    return Promise.all(workers);
  }).then(function () {
    var gone = Object.keys(keptPages).filter(function (path) { return !(path in wanted); });
    return Promise.all(gone.map(function (path) { return cache.delete(path); }));
  }).then(function () {
    var paths = Object.keys(files);
    var statics = paths.filter(function (path) { return files[path] === "static"; });
    var photos = paths.filter(function (path) { return files[path] === "media"; });
    return Promise.all([keepStatic(statics), keepPhotos(cache, photos)]);
  }).then(function () {
    return data.signedIn ? keepShell() : null;
  }).then(function () {
    var whole = Object.keys(wanted).every(function (path) { return path in meta.pages; });
    var current = !failure && whole;
    meta.complete = whole;
    if (!whole && failure && failure.name === "QuotaExceededError") {
      // Refused storage: what fits of it is no use offline, and takes room from the rest.
      return forgetConference(cache, meta).then(function () { throw failure; });
    }
    if (current) meta.savedAt = new Date().toISOString();
    return writeMeta(cache, meta).then(function () {
      if (failure) throw failure;
      return tell({ type: "keep-done", slug: slug, savedAt: meta.savedAt, total: total });
    });
  });
}

/* The editor's shell (the signed-in user's, kept with their pages) and the files it uses. */
function keepShell() {
  return fetch(HUGI_SW.shell, { credentials: "same-origin" }).then(followOwner).then(function (response) {
    return response.clone().text().then(function (html) {
      var statics = filesOf(html, false).map(function (file) { return file[1]; });
      return Promise.all([keepPage(HUGI_SW.shell, response), keepStatic(statics)]);
    });
  }).catch(function () {});
}

function keepPhotos(cache, paths) {
  return Promise.all(paths.map(function (path) {
    return cache.match(path).then(function (kept) {
      if (kept) return null;
      return fetch(path, { credentials: "omit" }).then(function (response) {
        return response.ok ? cache.put(path, response) : null;
      }).catch(function () {});
    });
  }));
}

function forgetConference(cache, meta) {
  return Promise.all(Object.keys(meta.pages).map(function (path) { return cache.delete(path); }))
    .then(function () { return cache.delete(metaKey(meta.conference.slug)); });
}
