/* The note editor: never lose a word.
 *
 * Every keystroke goes to localStorage first (with the server version it was based on); the
 * server gets the text ~2 s after typing stops, when the page is hidden or closed, on Ctrl+S,
 * and whenever the connection or the sign-in comes back. The status line says "Saved" only
 * after the server confirmed. A save based on an old version is refused by the server (409)
 * and the user chooses between the two texts. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-note-editor]");
  if (!form) return;

  var AUTOSAVE_DELAY = 2000;
  var FIRST_RETRY = 2000;
  var MAX_RETRY = 60000;
  var KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KB

  var textarea = form.querySelector("textarea[name=body]");
  var statusLine = form.querySelector("[data-save-status]");
  var baseInput = form.querySelector("input[name=base_version]");
  var saveButton = form.querySelector("button[type=submit]");
  var words = JSON.parse(document.getElementById("editor-messages").textContent);
  var draftKey = form.dataset.draftKey;
  var maxBytes = Number(form.dataset.maxBytes) || Infinity;
  var conflictBox = document.getElementById("conflict");
  var mineBox = document.getElementById("conflict-mine");
  var theirsBox = document.getElementById("conflict-theirs");
  var mergedBox = document.getElementById("conflict-merged");
  var mergePanel = conflictBox.querySelector(".conflict-merge");
  var theirsLabel = conflictBox.querySelector("[data-theirs-label]");
  var theirsLabelText = theirsLabel.textContent;

  // What the server holds, as far as this page knows.
  var base = Number(form.dataset.version) || 0;
  var dirty = false; // the text differs from what the server confirmed
  var inFlight = false;
  var againAfterFlight = false;
  var timer = null;
  var retryDelay = 0;
  var conflict = null; // {version, body, visibility, saved_at, deleted} while the user chooses
  var blocked = false; // the server refused this text (too long): wait for the next edit
  var storageWarned = false;
  var encoder = new TextEncoder();
  var timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });

  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function visibility() {
    var checked = form.querySelector("input[name=visibility]:checked");
    return checked ? checked.value : "private";
  }

  function setVisibility(value) {
    var radio = form.querySelector("input[name=visibility][value='" + value + "']");
    if (radio) radio.checked = true;
  }

  function setText(value) {
    textarea.value = value;
    // Tell the preview (and anyone else) that the text changed without typing.
    textarea.dispatchEvent(new CustomEvent("hugi:textchange"));
  }

  function setBase(version) {
    base = version;
    form.dataset.version = String(version);
    if (baseInput) baseInput.value = String(version);
  }

  // --- the status line -------------------------------------------------------------------------

  function showStatus(state, text, link) {
    if (statusLine.dataset.state === state && statusLine.dataset.text === text) return;
    statusLine.dataset.state = state;
    statusLine.dataset.text = text;
    statusLine.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = form.dataset.loginUrl;
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.textContent = link;
      statusLine.append(" ", anchor);
    }
  }

  function showSaved(when) {
    var date = when ? new Date(when) : new Date();
    if (isNaN(date)) date = new Date();
    showStatus("saved", fill(words.saved, { time: timeFormat.format(date) }));
  }

  var notice = null;
  function showNotice(text) {
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "editor-notice";
      notice.setAttribute("role", "status");
      textarea.parentNode.insertBefore(notice, textarea);
    }
    notice.textContent = text;
    notice.hidden = false;
  }

  // --- the draft on this device ----------------------------------------------------------------

  function readDraft() {
    try {
      var draft = JSON.parse(localStorage.getItem(draftKey));
      return draft && typeof draft.body === "string" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function writeDraft() {
    var draft = {
      body: textarea.value,
      visibility: visibility(),
      base: base,
      dirty: dirty,
      title: form.dataset.title,
      url: location.pathname,
      at: Date.now(),
    };
    try {
      localStorage.setItem(draftKey, JSON.stringify(draft));
    } catch (error) {
      if (!storageWarned) {
        storageWarned = true;
        showNotice(words.storageFull);
      }
    }
  }

  // --- saving ----------------------------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function changed() {
    dirty = true;
    blocked = false;
    writeDraft();
    if (notice && !storageWarned) notice.hidden = true;
    if (conflict) {
      mineBox.value = textarea.value;
      return; // nothing is sent until the user has chosen
    }
    if (statusLine.dataset.state !== "signed-out") showStatus("unsaved", words.unsaved);
    schedule(AUTOSAVE_DELAY);
  }

  function save(options) {
    var keepalive = Boolean(options && options.keepalive);
    clearTimeout(timer);
    if (!dirty || conflict || blocked) return;
    if (inFlight) {
      againAfterFlight = true;
      return;
    }
    if (!navigator.onLine) {
      // The "online" event sends it; until then it is safe on this device.
      showStatus("offline", words.offline);
      return;
    }
    var body = textarea.value;
    var sentVisibility = visibility();
    if (base === 0 && body.trim() === "" && sentVisibility === "private") {
      dirty = false; // nothing worth creating a note for
      writeDraft();
      showStatus("empty", words.empty);
      return;
    }
    var size = encoder.encode(body).length;
    if (size > maxBytes) {
      blocked = true;
      showStatus("error", fill(words.tooLong, { kb: Math.floor(maxBytes / 1024) }));
      return;
    }
    inFlight = true;
    if (statusLine.dataset.state !== "signed-out") showStatus("saving", words.saving);
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive && size < KEEPALIVE_LIMIT,
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
        "X-Requested-With": "fetch",
      },
      body: JSON.stringify({ body: body, visibility: sentVisibility, base_version: base }),
    })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        var data = isJson ? response.json() : Promise.resolve(null);
        return data.then(
          function (json) {
            answered(response.status, json, body, sentVisibility);
          },
          function () {
            answered(response.status, null, body, sentVisibility);
          }
        );
      })
      .catch(failed)
      .finally(function () {
        inFlight = false;
        if (againAfterFlight) {
          againAfterFlight = false;
          if (dirty) schedule(0);
        }
      });
  }

  function answered(status, data, body, sentVisibility) {
    if (status === 200 && data && typeof data.version === "number") {
      retryDelay = 0;
      setBase(data.version);
      dirty = textarea.value !== body || visibility() !== sentVisibility;
      writeDraft();
      if (dirty) {
        showStatus("unsaved", words.unsaved);
        schedule(AUTOSAVE_DELAY);
      } else {
        showSaved(data.saved_at);
      }
    } else if (status === 409 && data && typeof data.version === "number") {
      retryDelay = 0;
      if (data.body === textarea.value && data.visibility === visibility()) {
        // The server already has exactly this text (an earlier save whose answer got lost).
        setBase(data.version);
        dirty = false;
        writeDraft();
        showSaved(data.saved_at);
      } else {
        showConflict(data);
      }
    } else if (status === 401 || status === 403) {
      // Signed out (or the CSRF cookie is gone): keep the draft, ask to sign in, keep trying.
      showStatus("signed-out", words.signedOut, words.signIn);
      retryLater(false);
    } else if ((status === 400 || status === 413) && data && data.error) {
      blocked = true;
      showStatus("error", data.error + " " + words.unsaved);
    } else {
      failed();
    }
  }

  function failed() {
    retryLater(true);
  }

  function retryLater(sayWhen) {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : FIRST_RETRY, MAX_RETRY);
    if (sayWhen) {
      if (navigator.onLine) {
        showStatus("retrying", fill(words.retrying, { seconds: Math.round(retryDelay / 1000) }));
      } else {
        showStatus("offline", words.offline);
      }
    }
    schedule(retryDelay);
  }

  function flush() {
    // The page is being hidden or closed: send now, and let the request outlive the page.
    if (dirty && !inFlight && !conflict) save({ keepalive: true });
  }

  // --- two devices: the conflict view ----------------------------------------------------------

  function showConflict(data) {
    conflict = data;
    clearTimeout(timer);
    mineBox.value = textarea.value;
    theirsBox.value = data.body;
    theirsLabel.textContent = data.deleted ? words.deleted : theirsLabelText;
    conflictBox.querySelectorAll("[data-needs-script]").forEach(function (element) {
      element.hidden = false;
    });
    mergePanel.hidden = true;
    conflictBox.hidden = false;
    saveButton.disabled = true; // nothing is sent until the user has chosen
    writeDraft();
    showStatus("conflict", words.conflict);
  }

  function resolve(choice) {
    if (!conflict) return;
    if (choice === "merge") {
      mergedBox.value = textarea.value + "\n\n" + conflict.body;
      mergePanel.hidden = false;
      mergedBox.focus();
      return;
    }
    var theirs = conflict;
    conflict = null;
    conflictBox.hidden = true;
    saveButton.disabled = false;
    setBase(theirs.version);
    if (choice === "theirs") {
      setText(theirs.body);
      setVisibility(theirs.visibility);
      dirty = false;
      writeDraft();
      if (theirs.deleted) showStatus("empty", words.empty);
      else showSaved(theirs.saved_at);
    } else {
      if (choice === "merged") setText(mergedBox.value);
      dirty = true;
      writeDraft();
      save();
    }
    textarea.focus();
  }

  conflictBox.addEventListener("click", function (event) {
    var button = event.target.closest("[data-resolve]");
    if (button) resolve(button.dataset.resolve);
  });

  // --- opening: a newer draft on this device wins over the page --------------------------------

  var draft = readDraft();
  if (draft && (draft.dirty || draft.base > base)) {
    // A draft the server has not confirmed, or a page older than this device's last save
    // (an offline copy of the page).
    if (draft.body !== textarea.value || draft.visibility !== visibility()) {
      setText(draft.body);
      setVisibility(draft.visibility);
      if (draft.dirty) showNotice(words.restored);
    }
    setBase(Number(draft.base) || 0);
    dirty = Boolean(draft.dirty);
  }
  writeDraft();
  if (dirty) {
    showStatus("unsaved", words.unsaved);
    save();
  } else if (base > 0) {
    showSaved(form.dataset.savedAt);
  } else {
    showStatus("empty", words.empty);
  }

  // --- events ----------------------------------------------------------------------------------

  textarea.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    if (event.target.name === "visibility") {
      changed();
      schedule(300);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
    else if (dirty) save(); // back from another tab, perhaps from signing in again
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("focus", function () {
    if (dirty && !inFlight) save();
  });
  window.addEventListener("online", function () {
    retryDelay = 0;
    save();
  });
  window.addEventListener("offline", function () {
    if (dirty) showStatus("offline", words.offline);
  });
})();
