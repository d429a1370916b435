/* "Keep this conference offline" on a conference page: asks the service worker (sw-keep.js)
 * to keep or refresh the conference, by itself until the conference is over, and shows its
 * progress and when it was last saved. Hidden where the browser cannot keep pages. */
(function () {
  "use strict";
  var box = document.querySelector("[data-keep-offline]");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) return;
  var KEPT_CACHE = "hugi-kept-v1"; // sw.js
  var slug = box.dataset.slug;
  var button = box.querySelector("[data-keep-button]");
  var photos = box.querySelector("[data-keep-photos]");
  var bar = box.querySelector("[data-keep-progress]");
  var status = box.querySelector("[data-keep-status]");
  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang);
  box.hidden = false;

  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function when(iso) {
    var date = new Date(iso);
    var today = new Date().toDateString() === date.toDateString();
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (!today) { options.month = "short"; options.day = "numeric"; }
    return new Intl.DateTimeFormat(lang, options).format(date);
  }

  function megabytes(bytes) {
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1e6) + " MB";
  }

  function showSaved(savedAt, total) {
    bar.hidden = true;
    button.disabled = false;
    status.textContent = fill(box.dataset.msgSaved, { time: when(savedAt), total: numbers.format(total) });
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(function (estimate) {
        status.textContent += " " + fill(box.dataset.msgSize, { size: megabytes(estimate.usage || 0) });
      });
    }
  }

  function showMeta(meta) {
    if (!meta) return;
    photos.checked = Boolean(meta.photos);
    if (meta.complete && meta.savedAt) {
      showSaved(meta.savedAt, meta.total);
    } else {
      var done = Object.keys(meta.pages || {}).length;
      status.textContent = fill(box.dataset.msgPartial, { done: numbers.format(done), total: numbers.format(meta.total) });
    }
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.slug !== slug) return;
    if (data.type === "keep-progress") {
      button.disabled = true;
      bar.hidden = false;
      bar.max = data.total;
      bar.value = data.done;
      status.textContent = fill(box.dataset.msgProgress, { done: numbers.format(data.done), total: numbers.format(data.total) });
    } else if (data.type === "keep-done") {
      showSaved(data.savedAt, data.total);
      box.dataset.state = "saved";
    } else if (data.type === "keep-failed") {
      bar.hidden = true;
      button.disabled = false;
      status.textContent = data.reason === "storage" ? box.dataset.msgStorage : box.dataset.msgNetwork;
      box.dataset.state = "failed";
    }
  });

  function keep(force) {
    box.dataset.state = "saving";
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({
        type: "keep-conference",
        list: box.dataset.list,
        lang: document.documentElement.lang,
        signedIn: box.dataset.signedIn === "1",
        photos: photos.checked,
        force: force,
      });
    });
  }

  button.addEventListener("click", function () {
    // Asks the browser not to clear the kept pages when space runs low (it may say no).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    keep(true);
  });

  caches.open(KEPT_CACHE)
    .then(function (cache) { return cache.match("/.hugi-kept/" + encodeURIComponent(slug)); })
    .then(function (kept) { return kept ? kept.json() : null; })
    .then(function (meta) {
      showMeta(meta);
      if (box.dataset.auto && navigator.onLine) keep(false);
    });
})();
