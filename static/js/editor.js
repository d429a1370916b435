/* The note editor: never lose a word.
 *
 * Every keystroke goes to localStorage first (with the server version it was based on); the
 * server gets the text ~2 s after typing stops, when the page is hidden or closed, on Ctrl+S,
 * and whenever the connection or the sign-in comes back (autosave.js does the sending). The
 * status line says "Saved" only after the server confirmed. A save based on an old version is
 * refused by the server (409) and the user chooses between the two texts. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-note-editor]");
  if (!form) return;

  var textarea = form.querySelector("textarea[name=body]");
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
  var storageWarned = false;
  var encoder = new TextEncoder();

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

  function read() {
    return { body: textarea.value, visibility: visibility() };
  }

  function same(a, b) {
    return a.body === b.body && a.visibility === b.visibility;
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

  // --- the draft on this device: kept after saving, with `dirty` (My hugi lists those) ---------

  function readDraft() {
    var draft = hugi.drafts.read(draftKey);
    return draft && typeof draft.body === "string" ? draft : null;
  }

  function writeDraft() {
    var draft = {
      body: textarea.value,
      visibility: visibility(),
      base: saver.base,
      dirty: saver.dirty,
      title: form.dataset.title,
      url: location.pathname,
      at: Date.now(),
    };
    if (!hugi.drafts.write(draftKey, draft) && !storageWarned) {
      storageWarned = true;
      showNotice(words.storageFull);
    }
  }

  // --- saving (autosave.js), and what this page shows of it ------------------------------------

  var saver = hugi.autosave({
    form: form,
    status: form.querySelector("[data-save-status]"),
    words: words,
    delay: 2000,
    base: Number(form.dataset.version) || 0,
    loginUrl: form.dataset.loginUrl,
    read: read,
    same: same,
    fromServer: function (data) {
      return { body: data.body, visibility: data.visibility };
    },
    payload: function (texts, base) {
      return { body: texts.body, visibility: texts.visibility, base_version: base };
    },
    keep: writeDraft,
    check: function (texts) {
      if (saver.base === 0 && texts.body.trim() === "" && texts.visibility === "private") {
        saver.dirty = false; // nothing worth creating a note for
        writeDraft();
        saver.show("empty", words.empty);
        return false;
      }
      if (encoder.encode(texts.body).length > maxBytes) {
        saver.block();
        saver.show("error", hugi.fill(words.tooLong, { kb: Math.floor(maxBytes / 1024) }));
        return false;
      }
      return true;
    },
    based: function (version) {
      form.dataset.version = String(version);
      if (baseInput) baseInput.value = String(version);
    },
    saved: writeDraft,
    conflict: showConflict,
    changedInConflict: function () {
      mineBox.value = textarea.value;
    },
    refused: function (data) {
      saver.show("error", data.error + " " + words.unsaved);
    },
    signedOut: function () {
      // Signed out (or the CSRF cookie is gone): keep the draft, ask to sign in, keep trying.
      saver.show("signed-out", words.signedOut, words.signIn);
    },
    failed: function (delay) {
      if (navigator.onLine) {
        saver.show("retrying", hugi.fill(words.retrying, { seconds: Math.round(delay / 1000) }));
      } else {
        saver.show("offline", words.offline);
      }
    },
  });

  // --- two devices: the conflict view ----------------------------------------------------------

  function showConflict(data) {
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
    saver.show("conflict", words.conflict);
  }

  function resolve(choice) {
    var theirs = saver.conflict;
    if (!theirs) return;
    if (choice === "merge") {
      mergedBox.value = textarea.value + "\n\n" + theirs.body;
      mergePanel.hidden = false;
      mergedBox.focus();
      return;
    }
    saver.resolve(theirs.version);
    conflictBox.hidden = true;
    saveButton.disabled = false;
    if (choice === "theirs") {
      setText(theirs.body);
      setVisibility(theirs.visibility);
      saver.dirty = false;
      writeDraft();
      if (theirs.deleted) saver.show("empty", words.empty);
      else saver.showSaved(theirs.saved_at);
    } else {
      if (choice === "merged") setText(mergedBox.value);
      saver.dirty = true;
      writeDraft();
      saver.save();
    }
    textarea.focus();
  }

  conflictBox.addEventListener("click", function (event) {
    var button = event.target.closest("[data-resolve]");
    if (button) resolve(button.dataset.resolve);
  });

  // --- opening: a newer draft on this device wins over the page --------------------------------

  var draft = readDraft();
  if (draft && (draft.dirty || draft.base > saver.base)) {
    // A draft the server has not confirmed, or a page older than this device's last save
    // (an offline copy of the page).
    if (draft.body !== textarea.value || draft.visibility !== visibility()) {
      setText(draft.body);
      setVisibility(draft.visibility);
      if (draft.dirty) showNotice(words.restored);
    }
    saver.setBase(Number(draft.base) || 0);
    saver.dirty = Boolean(draft.dirty);
  }
  writeDraft();
  if (saver.dirty) {
    saver.show("unsaved", words.unsaved);
    saver.save();
  } else if (saver.base > 0) {
    saver.showSaved(form.dataset.savedAt);
  } else {
    saver.show("empty", words.empty);
  }

  // --- events (autosave.js sends when the page is hidden or closed, and when back online) -------

  function changed(delay) {
    if (notice && !storageWarned) notice.hidden = true;
    saver.changed(delay);
  }

  textarea.addEventListener("input", function () {
    changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "visibility") changed(300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    saver.save();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      saver.save();
    }
  });
  document.addEventListener("visibilitychange", function () {
    // Back from another tab, perhaps from signing in again.
    if (document.visibilityState !== "hidden" && saver.dirty) saver.save();
  });
  window.addEventListener("focus", function () {
    if (saver.dirty && !saver.busy()) saver.save();
  });
  window.addEventListener("offline", function () {
    if (saver.dirty) saver.show("offline", words.offline);
  });
})();
