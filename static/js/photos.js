/* Photos in the note editor: camera, library, paste and drop; progress; an offline queue.
 *
 * Each photo goes up on its own request (XMLHttpRequest, for upload progress). A placeholder
 * enters the note at the cursor at once, so the photo keeps its place while the user types on;
 * the server's answer replaces it with the photo's Markdown, and an `input` event tells the
 * editor (autosave, preview) that the text changed. Every chosen photo is also kept in IndexedDB
 * until the server has it: an upload cut off by the network, a sign-in that expired or a closed
 * tab is sent again when the connection is back or the editor is opened again. A file the server
 * refuses is dropped with the server's one-line reason.
 *
 * The manager (move, edit, delete) posts the partial's own forms with fetch and puts the list
 * the server sends back in place; without this script the same forms work as plain posts. */
(function () {
  "use strict";

  var root = document.querySelector("[data-photo-tools]");
  if (!root) return;

  var textarea =
    document.querySelector("textarea[data-note-body]") ||
    document.querySelector("form[data-note-editor] textarea[name=body]");
  var statusList = root.querySelector("[data-photo-uploads]");
  var words = root.dataset;
  var sessionId = root.dataset.session;
  var uploadUrl = root.dataset.uploadUrl;
  var listUrl = root.dataset.listUrl;
  var maxBytes = Number(root.dataset.maxBytes) || Infinity;
  var RETRY_EVERY = 30000;
  var DB_NAME = "hugi-photos";
  var STORE = "uploads";

  var waiting = []; // items to send, in order
  var sending = false;
  var parked = {}; // key → item, waiting for the network or a sign-in
  var retryTimer = null;
  var cursorPlaced = false; // until the user has been in the text, photos go at its end

  root.classList.add("has-script");
  // The server takes one photo per request. Without this script the form sends what was chosen
  // in one request, so it offers one; this script sends each photo on its own, so: several.
  root.querySelectorAll("[data-photo-input]").forEach(function (input) {
    input.multiple = true;
  });
  root.querySelectorAll("[data-photo-insert]").forEach(function (button) {
    button.hidden = false;
  });

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

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

  // --- the note's text ---------------------------------------------------------------------------

  function textChanged() {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function altText(text) {
    return String(text || "")
      .replace(/\s+/g, " ")
      .trim()
      .replace(/[\\[\]]/g, "\\$&");
  }

  function placeholder(key, message) {
    return "![" + altText(message) + "](#photo-upload-" + key + ")";
  }

  function placeholderPattern(key) {
    return new RegExp("!\\[[^\\]\\n]*\\]\\(#photo-upload-" + key + "\\)");
  }

  /* Put a block of Markdown at the cursor, on a paragraph of its own. */
  function insertAtCursor(markdown) {
    if (!textarea) return;
    var value = textarea.value;
    var start = cursorPlaced ? textarea.selectionStart : value.length;
    var end = cursorPlaced ? textarea.selectionEnd : value.length;
    var before = value.slice(0, start);
    var after = value.slice(end);
    var prefix = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var suffix = /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var inserted = prefix + markdown + suffix;
    textarea.value = before + inserted + after;
    var cursor = before.length + inserted.length;
    textarea.setSelectionRange(cursor, cursor);
    textChanged();
  }

  function appendToText(markdown) {
    if (!textarea) return;
    var value = textarea.value.replace(/\s*$/, "");
    textarea.value = (value ? value + "\n\n" : "") + markdown + "\n";
    textChanged();
  }

  /* Swap one piece of the text for another, keeping the cursor where it was in the words. */
  function replaceInText(pattern, replacement) {
    if (!textarea) return false;
    var value = textarea.value;
    var match = pattern.exec(value);
    if (!match) return false;
    var cursor = textarea.selectionStart;
    var delta = replacement.length - match[0].length;
    textarea.value = value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length);
    if (typeof cursor === "number") {
      var moved = cursor > match.index ? Math.max(match.index, cursor + delta) : cursor;
      textarea.setSelectionRange(moved, moved);
    }
    textChanged();
    return true;
  }

  /* Take a piece out of the text with the blank lines around it, keeping paragraphs apart. */
  function removeFromText(pattern) {
    if (!textarea) return false;
    var around = new RegExp("\\n{0,2}" + pattern.source + "\\n{0,2}");
    var match = around.exec(textarea.value);
    if (!match) return false;
    var between = match.index > 0 && match.index + match[0].length < textarea.value.length;
    return replaceInText(around, between ? "\n\n" : "");
  }

  /* The Markdown of one of our photos, any rendition, any alt text; group 1 is its URL. */
  function photoPattern(photoId, flags) {
    return new RegExp("!\\[(?:[^\\]\\\\\\n]|\\\\.)*\\]\\((/photos/" + photoId + "/[^)\\s]*)\\)", flags || "");
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

  // --- sending -----------------------------------------------------------------------------------

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      var item = { key: newKey(), file: file, name: file.name || "photo" };
      if (file.size > maxBytes) {
        setStatus(item, "failed", words.msgTooLarge);
        return;
      }
      insertAtCursor(placeholder(item.key, words.msgUploading));
      setStatus(item, "queued", "");
      remember(item);
      waiting.push(item);
    });
    pump();
  }

  function pump() {
    if (sending || !waiting.length) return;
    sending = true;
    send(waiting.shift()).then(function () {
      sending = false;
      pump();
    });
  }

  function json(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) return null;
    try {
      return JSON.parse(xhr.responseText);
    } catch (error) {
      return null;
    }
  }

  function send(item) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadUrl);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          item.row.querySelector("progress").value = Math.round((event.loaded / event.total) * 100);
        }
      });
      xhr.addEventListener("load", function () {
        var answer = json(xhr);
        if (xhr.status === 200 && answer && answer.photos) {
          succeeded(item, answer.photos[0]);
        } else if (answer && answer.error && xhr.status >= 400 && xhr.status < 500) {
          refused(item, answer.error);
        } else if (xhr.status === 200 || xhr.status === 403 || xhr.status === 401) {
          park(item, words.msgSignedOut); // the sign-in page, or a stale CSRF token
        } else {
          park(item, words.msgWaiting); // 5xx, a proxy's error page
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        park(item, words.msgWaiting);
        resolve();
      });
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("image", item.file, item.name);
      data.append("upload_key", item.key);
      setStatus(item, "sending", words.msgUploading);
      xhr.send(data);
    });
  }

  function succeeded(item, photo) {
    delete parked[item.key];
    forget(item);
    if (!replaceInText(placeholderPattern(item.key), photo.markdown)) {
      appendToText(photo.markdown); // its placeholder is gone (deleted, or from an earlier visit)
    }
    setStatus(item, "done", words.msgDone);
    refreshList();
  }

  function refused(item, message) {
    delete parked[item.key];
    forget(item);
    removeFromText(placeholderPattern(item.key));
    setStatus(item, "failed", message);
  }

  function park(item, message) {
    parked[item.key] = item;
    replaceInText(placeholderPattern(item.key), placeholder(item.key, words.msgQueued));
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
  function resumeRemembered() {
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

  // --- choosing, pasting and dropping -------------------------------------------------------------

  function filesOf(transfer) {
    if (!transfer) return [];
    var files = Array.prototype.slice.call(transfer.files || []);
    if (!files.length && transfer.items) {
      Array.prototype.forEach.call(transfer.items, function (entry) {
        if (entry.kind === "file") {
          var file = entry.getAsFile();
          if (file) files.push(file);
        }
      });
    }
    return files;
  }

  function inEditor(target) {
    return target === textarea || root.contains(target);
  }

  root.addEventListener("change", function (event) {
    if (!event.target.matches("[data-photo-input]")) return;
    addFiles(event.target.files);
    event.target.value = ""; // the same photo may be chosen again
  });

  // Capturing on the document runs before anything on the textarea itself (django-markdownx
  // has its own paste and drop upload there): the photo goes up once, through this script.
  document.addEventListener(
    "paste",
    function (event) {
      if (!inEditor(event.target)) return;
      var files = filesOf(event.clipboardData);
      if (!files.length) return;
      event.preventDefault();
      event.stopPropagation();
      addFiles(files);
    },
    true
  );

  function dragsFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return types && Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function dropTarget(on) {
    root.classList.toggle("is-drop-target", on);
    if (textarea) textarea.classList.toggle("is-drop-target", on);
  }

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(
      type,
      function (event) {
        if (!dragsFiles(event) || !inEditor(event.target)) return;
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = "copy";
        dropTarget(true);
      },
      true
    );
  });
  document.addEventListener(
    "dragleave",
    function (event) {
      if (inEditor(event.target) && !inEditor(event.relatedTarget)) dropTarget(false);
    },
    true
  );
  document.addEventListener(
    "drop",
    function (event) {
      dropTarget(false);
      if (!dragsFiles(event) || !inEditor(event.target)) return;
      event.preventDefault();
      event.stopPropagation();
      if (textarea && event.target === textarea) textarea.focus();
      addFiles(filesOf(event.dataTransfer));
    },
    true
  );

  // --- the manager: move, edit, delete ------------------------------------------------------------

  function currentList() {
    return root.querySelector("[data-photo-list]");
  }

  function showList(html, focusSelector) {
    var list = currentList();
    var holder = document.createElement("div");
    holder.innerHTML = html; // our own template, escaped by Django
    var fresh = holder.querySelector("[data-photo-list]");
    if (!list || !fresh) return;
    list.replaceWith(fresh);
    fresh.querySelectorAll("[data-photo-insert]").forEach(function (button) {
      button.hidden = false;
    });
    if (focusSelector) {
      var target = fresh.querySelector(focusSelector);
      if (target && !target.disabled) target.focus();
    }
  }

  function refreshList() {
    fetch(listUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("no list");
        return response.text();
      })
      .then(function (html) {
        showList(html);
      })
      .catch(function () {});
  }

  function postForm(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken() },
      body: data,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && !response.redirected && type.indexOf("text/html") === 0) {
        return response.text();
      }
      if (type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          throw new Error(answer.error || words.msgFailed);
        });
      }
      throw new Error(response.redirected ? words.msgSignedOut : words.msgFailed);
    });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-photo-add]")) {
      // Chosen files went up on "change" already; nothing else to send.
      event.preventDefault();
      return;
    }
    if (!currentList() || !currentList().contains(form)) return;
    event.preventDefault();
    var submitter = event.submitter;
    var item = form.closest("[data-photo-item]");
    var photoId = item.dataset.photoId;
    var action = submitter && submitter.dataset.photoAction;
    if (action === "delete" && !window.confirm(words.msgConfirmDelete)) return;
    var caption = form.elements.caption ? form.elements.caption.value : null;
    var focus = action === "move" ? "#photo-" + photoId + " [value=" + submitter.value + "]" : null;
    if (submitter) submitter.disabled = true;
    postForm(form, submitter)
      .then(function (html) {
        if (action === "delete") {
          while (removeFromText(photoPattern(photoId))) {
            // every place the note showed it
          }
        } else if (action === "update" && caption !== null && textarea) {
          // The note's alt text follows the caption.
          var updated = textarea.value.replace(photoPattern(photoId, "g"), function (whole, url) {
            return "![" + altText(caption) + "](" + url + ")";
          });
          if (updated !== textarea.value) {
            textarea.value = updated;
            textChanged();
          }
        }
        showList(html, focus);
      })
      .catch(function (error) {
        if (submitter) submitter.disabled = false;
        showError(error.message);
      });
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-photo-insert]");
    if (!button) return;
    insertAtCursor(button.closest("[data-photo-item]").dataset.photoMarkdown);
    if (textarea) textarea.focus();
  });

  if (textarea) {
    ["focus", "pointerdown", "keydown"].forEach(function (type) {
      textarea.addEventListener(type, function () {
        cursorPlaced = true;
      });
    });
  }
  window.addEventListener("online", retryParked);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Object.keys(parked).length) retryParked();
  });
  resumeRemembered();
})();
