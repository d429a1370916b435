/* Photos in the note editor, part 2 of 4: photos on their way to the server.
 *
 * Every chosen photo is kept in IndexedDB until the server has it: an upload cut off by the
 * network, a sign-in that expired or a closed tab is sent again when the connection is back, the
 * page is shown again, or the editor is opened again. Photos go up one at a time, in the order
 * chosen (photos.send, in photo-upload.js, sends one), and each has a status line under the
 * buttons: queued, sending (with progress), waiting, failed (with the reason) or done. */
(function () {
  "use strict";

  var photos = window.hugi && hugi.photos;
  if (!photos) return;

  var RETRY_EVERY = 30000;
  var DB_NAME = "hugi-photos";
  var STORE = "uploads";
  var sessionId = photos.root.dataset.session;
  var statusList = photos.root.querySelector("[data-photo-uploads]");
  var words = photos.words;

  var waiting = []; // items to send, in order
  var sending = false;
  var parked = {}; // key → item, waiting for the network or a sign-in
  var retryTimer = null;

  /* One key per chosen photo, kept with it in IndexedDB and sent with every try: the server
   * stores a photo once per key, so a try whose answer was lost does not make a second copy. */
  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.prototype.map
      .call(bytes, function (byte) {
        return (byte < 16 ? "0" : "") + byte.toString(16);
      })
      .join("");
  }

  // --- the status lines under the buttons --------------------------------------------------------

  function statusRow(item) {
    var row = document.createElement("li");
    row.className = "photo-upload";
    if (item.file && window.URL && URL.createObjectURL && /^image\//.test(item.file.type)) {
      var preview = document.createElement("img");
      preview.className = "photo-upload-preview";
      preview.alt = "";
      preview.src = URL.createObjectURL(item.file);
      preview.addEventListener("load", function () {
        URL.revokeObjectURL(preview.src);
      });
      preview.addEventListener("error", function () {
        preview.remove(); // HEIC, say: the browser cannot show it, the server can read it
      });
      row.appendChild(preview);
    }
    var text = document.createElement("div");
    text.className = "photo-upload-text";
    var name = document.createElement("span");
    name.className = "photo-upload-name";
    name.textContent = item.name;
    var message = document.createElement("span");
    message.className = "photo-upload-message";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    text.append(name, message, bar);
    row.appendChild(text);
    statusList.appendChild(row);
    return row;
  }

  function setStatus(item, state, message) {
    if (!item.row) item.row = statusRow(item);
    var row = item.row;
    row.dataset.state = state;
    row.querySelector(".photo-upload-message").textContent = message || "";
    row.querySelector("progress").hidden = state !== "sending";
    if (state === "failed") {
      row.setAttribute("role", "alert");
      if (!row.querySelector("button")) {
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "photo-upload-dismiss";
        dismiss.textContent = "×";
        dismiss.setAttribute("aria-label", words.msgDismiss);
        dismiss.addEventListener("click", function () {
          row.remove();
        });
        row.appendChild(dismiss);
      }
    }
    if (state === "done") {
      setTimeout(function () {
        row.remove();
      }, 4000);
    }
  }

  function showError(message) {
    setStatus({ name: "" }, "failed", message);
  }

  // --- IndexedDB: photos not yet on the server --------------------------------------------------

  function withStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "key" });
      };
      opening.onerror = function () {
        reject(opening.error);
      };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      };
    });
  }

  function remember(item) {
    var record = { key: item.key, session: sessionId, name: item.name, file: item.file, at: Date.now() };
    return withStore("readwrite", function (store) {
      return store.put(record);
    }).catch(function () {
      // Private browsing or a full disk: the photo is only kept while this page is open.
    });
  }

  function forget(item) {
    return withStore("readwrite", function (store) {
      return store.delete(item.key);
    }).catch(function () {});
  }

  function remembered() {
    return withStore("readonly", function (store) {
      return store.getAll();
    }).catch(function () {
      return [];
    });
  }

  // --- the queue ---------------------------------------------------------------------------------

  /* A newly chosen photo: kept on this device, and sent after those chosen before it. */
  function add(item) {
    remember(item);
    waiting.push(item);
  }

  function pump() {
    if (sending || !waiting.length) return;
    sending = true;
    photos.send(waiting.shift()).then(function () {
      sending = false;
      pump();
    });
  }

  /* The server has it, or refused it for good: it is no longer kept. */
  function done(item) {
    delete parked[item.key];
    forget(item);
  }

  /* No answer, or the sign-in page: try again later. */
  function park(item, message) {
    parked[item.key] = item;
    var queued = photos.placeholder(item.key, words.msgQueued);
    photos.replaceInText(photos.placeholderPattern(item.key), queued);
    setStatus(item, "waiting", message);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(retryParked, RETRY_EVERY);
  }

  function retryParked() {
    clearTimeout(retryTimer);
    Object.keys(parked).forEach(function (key) {
      var item = parked[key];
      delete parked[key];
      if (waiting.indexOf(item) === -1) waiting.push(item);
    });
    pump();
  }

  /* Photos chosen on an earlier visit (or in a tab that closed) that never reached the server. */
  function resume() {
    remembered().then(function (records) {
      records.forEach(function (record) {
        if (record.session !== sessionId) return;
        var item = { key: record.key, file: record.file, name: record.name };
        setStatus(item, "queued", words.msgQueued);
        waiting.push(item);
      });
      pump();
    });
  }

  window.addEventListener("online", retryParked);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Object.keys(parked).length) retryParked();
  });

  photos.newKey = newKey;
  photos.setStatus = setStatus;
  photos.showError = showError;
  photos.queue = { add: add, pump: pump, done: done, park: park, resume: resume };
})();
