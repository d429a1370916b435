/* Photos in the note editor, part 4 of 4: choosing, pasting and dropping photos, and sending
 * each one on its own request (XMLHttpRequest, for upload progress) with its key. A file the
 * server refuses is dropped with the server's one-line reason; one that gets no answer (or the
 * sign-in page) waits in the queue (photo-queue.js). Loaded last: it switches the tools on. */
(function () {
  "use strict";

  var photos = window.hugi && hugi.photos;
  if (!photos) return;

  var root = photos.root;
  var textarea = photos.textarea;
  var words = photos.words;
  var queue = photos.queue;
  var uploadUrl = root.dataset.uploadUrl;
  var maxBytes = Number(root.dataset.maxBytes) || Infinity;

  // --- sending -----------------------------------------------------------------------------------

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      var item = { key: photos.newKey(), file: file, name: file.name || "photo" };
      if (file.size > maxBytes) {
        photos.setStatus(item, "failed", words.msgTooLarge);
        return;
      }
      photos.insertAtCursor(photos.placeholder(item.key, words.msgUploading));
      photos.setStatus(item, "queued", "");
      queue.add(item);
    });
    queue.pump();
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

  /* One try at sending one photo; resolves when it is over, however it went. */
  function send(item) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadUrl);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-CSRFToken", hugi.csrfToken(root));
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
          queue.park(item, words.msgSignedOut); // the sign-in page, or a stale CSRF token
        } else {
          queue.park(item, words.msgWaiting); // 5xx, a proxy's error page
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        queue.park(item, words.msgWaiting);
        resolve();
      });
      var data = new FormData();
      data.append("csrfmiddlewaretoken", hugi.csrfToken(root));
      data.append("image", item.file, item.name);
      data.append("upload_key", item.key);
      photos.setStatus(item, "sending", words.msgUploading);
      xhr.send(data);
    });
  }

  function succeeded(item, photo) {
    queue.done(item);
    if (!photos.replaceInText(photos.placeholderPattern(item.key), photo.markdown)) {
      photos.appendToText(photo.markdown); // its placeholder is gone (deleted, or from an earlier visit)
    }
    photos.setStatus(item, "done", words.msgDone);
    photos.refreshList();
  }

  function refused(item, message) {
    queue.done(item);
    photos.removeFromText(photos.placeholderPattern(item.key));
    photos.setStatus(item, "failed", message);
  }

  // --- choosing, pasting and dropping ------------------------------------------------------------

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

  // --- switched on -------------------------------------------------------------------------------

  photos.send = send;
  // The server takes one photo per request. Without this script the form sends what was chosen
  // in one request, so it offers one; this script sends each photo on its own, so: several.
  root.querySelectorAll("[data-photo-input]").forEach(function (input) {
    input.multiple = true;
  });
  root.classList.add("has-script");
  queue.resume();
})();
