/* The write-up compose page: autosave, a draft on this device, two devices, live previews.
 *
 * The form works without this script (every button is a plain POST). With it, every change is
 * kept in localStorage at once and sent to the server as JSON ~1.5 s after typing stops (and
 * when the page is hidden), with the version it was based on (autosave.js does the sending). A
 * save based on an older version than the server's (another device saved meanwhile) is refused
 * with the server's texts (409), and the conflict view shows both: keep mine, keep theirs, or
 * merge. After each save the preview of the whole post is fetched again: it is the public page's
 * own template partial, rendered by the server. The introduction and closing also get a Write /
 * Preview switch, rendered by the server's one sanitizing Markdown renderer (markdownx's preview
 * endpoint). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-writeup-form]");
  if (!form) return;

  var FIELDS = ["title", "summary", "intro", "closing", "cover_photo", "language"];
  var LONG_FIELDS = ["summary", "intro", "closing"]; // merged by putting both texts together
  var words = JSON.parse(document.getElementById("writeup-words").textContent);
  var previewBox = document.querySelector("[data-writeup-preview]");
  var baseInput = form.querySelector("input[name=base_version]");
  var conflictView = document.querySelector("[data-conflict-view]");
  var mergePanel = conflictView.querySelector("[data-merge]");
  var draftKey = form.dataset.draftKey;
  var baseValues = values(); // the texts at the server's version, for merging
  var waitingSubmit = null; // {submitter}: a button pressed while a save was on its way

  // --- the fields and the draft on this device (dropped once the server has it) ---------------

  function values() {
    var data = new FormData(form);
    var result = {};
    FIELDS.forEach(function (name) {
      result[name] = data.has(name) ? String(data.get(name)) : "";
    });
    return result;
  }

  function setValues(saved) {
    FIELDS.forEach(function (name) {
      if (!(name in saved)) return;
      if (name === "cover_photo") {
        var radio = coverRadio(saved[name]);
        if (radio) radio.checked = true;
        return;
      }
      var field = form.elements[name];
      if (field) field.value = saved[name];
    });
  }

  function coverRadio(value) {
    return form.querySelector("input[name=cover_photo][value='" + CSS.escape(value) + "']");
  }

  function same(a, b) {
    return FIELDS.every(function (name) {
      return (a[name] || "") === (b[name] || "");
    });
  }

  function serverValues(data) {
    var result = {};
    FIELDS.forEach(function (name) {
      result[name] = data[name] === null || data[name] === undefined ? "" : String(data[name]);
    });
    return result;
  }

  function readDraft() {
    var draft = hugi.drafts.read(draftKey);
    return draft && draft.values ? draft : null;
  }

  function keepDraft() {
    var draft = { values: values(), base: saver.base, baseValues: baseValues, at: Date.now() };
    hugi.drafts.write(draftKey, draft); // storage full or blocked: the text is still on screen
  }

  function dropDraftIf(sent) {
    var draft = readDraft();
    if (draft && same(draft.values, sent)) hugi.drafts.remove(draftKey);
  }

  // --- saving (autosave.js), and what this page shows of it ------------------------------------

  var saver = hugi.autosave({
    form: form,
    status: form.querySelector("[data-save-status]"),
    words: words,
    delay: 1500,
    base: Number(baseInput.value) || 0,
    read: values,
    same: same,
    fromServer: serverValues,
    payload: function (texts, base) {
      var data = { base_version: base };
      FIELDS.forEach(function (name) {
        data[name] = texts[name];
      });
      data.cover_photo = texts.cover_photo ? Number(texts.cover_photo) : null;
      return data;
    },
    keep: keepDraft,
    based: function (version, texts) {
      baseValues = texts;
      baseInput.value = String(version); // a plain form post (a layout button) sends it too
    },
    saved: function (data, texts) {
      dropDraftIf(texts);
      if (saver.dirty) keepDraft();
      refreshPreview();
    },
    conflict: showConflict,
    changedInConflict: fillConflict,
    refused: function (data) {
      // The server said why (a title is needed…): wait for the next edit.
      saver.show("error", hugi.fill(words.failed, { reason: data.error }));
    },
    signedOut: function () {
      saver.show("error", words.signedOut);
    },
    failed: function () {
      if (navigator.onLine) saver.show("offline", hugi.fill(words.failed, { reason: "" }));
      else saver.show("offline", words.offline);
    },
    afterFlight: function () {
      if (!waitingSubmit) return false;
      var submitter = waitingSubmit.submitter;
      waitingSubmit = null;
      form.requestSubmit(submitter);
      return true;
    },
  });

  // --- two devices: the conflict view ----------------------------------------------------------

  function shown(name, value) {
    // What the form shows for a value: a cover by its caption, a language by its name.
    if (name === "cover_photo") {
      var radio = coverRadio(value);
      var label = radio && radio.closest("label");
      return label ? label.textContent.trim() : value;
    }
    if (name === "language") {
      var option = form.elements.language.querySelector("option[value='" + CSS.escape(value) + "']");
      return option ? option.textContent : value;
    }
    return value;
  }

  function fillConflict() {
    var mine = values();
    var theirs = serverValues(saver.conflict);
    FIELDS.forEach(function (name) {
      var row = conflictView.querySelector("[data-conflict-field=" + name + "]");
      row.querySelector("[data-mine]").value = shown(name, mine[name]);
      row.querySelector("[data-theirs]").value = shown(name, theirs[name]);
      row.hidden = mine[name] === theirs[name];
    });
  }

  function showConflict() {
    fillConflict();
    conflictView.querySelectorAll("[data-needs-script]").forEach(function (element) {
      element.hidden = false;
    });
    conflictView.querySelectorAll("[data-without-script]").forEach(function (element) {
      element.hidden = true;
    });
    mergePanel.hidden = true;
    conflictView.hidden = false;
    keepDraft();
    saver.show("error", words.conflict);
    conflictView.scrollIntoView({ block: "nearest" });
  }

  function merged(mine, theirs) {
    // Field by field: what only one side changed since the base wins; where both changed, a
    // text holds both (mine first) and anything else keeps mine.
    var result = {};
    FIELDS.forEach(function (name) {
      var was = baseValues[name];
      if (mine[name] === theirs[name] || theirs[name] === was) result[name] = mine[name];
      else if (mine[name] === was) result[name] = theirs[name];
      else if (LONG_FIELDS.indexOf(name) !== -1 && mine[name] && theirs[name]) {
        result[name] = mine[name] + "\n\n" + theirs[name];
      } else result[name] = mine[name] || theirs[name];
    });
    return result;
  }

  function resolve(choice) {
    var conflict = saver.conflict;
    if (!conflict) return;
    var mine = values();
    var theirs = serverValues(conflict);
    if (choice === "merge") {
      showMerge(mine, theirs);
      return;
    }
    var kept = choice === "theirs" ? theirs : choice === "merged" ? mergedChoice(mine, theirs) : mine;
    saver.resolve(conflict.version, theirs); // whatever is kept, it is based on their version now
    conflictView.hidden = true;
    setValues(kept);
    if (choice === "theirs") {
      saver.dirty = false;
      hugi.drafts.remove(draftKey);
      saver.showSaved(conflict.saved_at);
      refreshPreview();
      return;
    }
    saver.dirty = true;
    keepDraft();
    saver.save();
  }

  function showMerge(mine, theirs) {
    var proposal = merged(mine, theirs);
    var first = null;
    mergePanel.querySelectorAll("[data-merged]").forEach(function (box) {
      var name = box.dataset.merged;
      box.value = proposal[name];
      box.closest("[data-merged-field]").hidden = mine[name] === theirs[name];
      if (!first && mine[name] !== theirs[name]) first = box;
    });
    mergePanel.hidden = false;
    if (first) first.focus();
  }

  function mergedChoice(mine, theirs) {
    // The texts as edited in the merge panel; the cover and the language as merged.
    var result = merged(mine, theirs);
    mergePanel.querySelectorAll("[data-merged]").forEach(function (box) {
      result[box.dataset.merged] = box.value;
    });
    return result;
  }

  conflictView.addEventListener("click", function (event) {
    var button = event.target.closest("[data-resolve]");
    if (button) resolve(button.dataset.resolve);
  });

  // --- the previews: the whole post, and Write / Preview for the introduction and the closing --

  function refreshPreview() {
    if (!previewBox) return;
    hugi
      .fetchHTML(previewBox.dataset.url)
      .then(function (html) {
        previewBox.innerHTML = html; // the server's own template, Markdown sanitized by nh3
      })
      .catch(function () {
        /* the preview waits for the next save */
      });
  }

  function markdownPreview(field) {
    var textarea = field.querySelector("textarea");
    var box = field.querySelector(".markdownx-preview");
    var tabs = field.querySelector(".md-tabs");
    if (!textarea || !box || !tabs) return;
    tabs.hidden = false;
    box.hidden = true;
    tabs.addEventListener("click", function (event) {
      var button = event.target.closest("[data-show]");
      if (!button) return;
      var previewing = button.dataset.show === "preview";
      tabs.querySelectorAll("[data-show]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      textarea.hidden = previewing;
      box.hidden = !previewing;
      if (!previewing) {
        textarea.focus();
        return;
      }
      hugi
        .renderMarkdown(textarea.dataset.markdownxUrlsPath, textarea.value, form)
        .then(function (html) {
          box.innerHTML = html; // sanitized by the server (nh3 allow-list)
        })
        .catch(function () {
          box.textContent = words.previewOffline;
        });
    });
  }

  // --- opening and wiring ----------------------------------------------------------------------

  var refusedAgainst = document.getElementById("writeup-conflict-data");
  if (refusedAgainst) {
    // The server refused a form post (a button) against another device's texts: the form holds
    // this device's, and the version they were based on is not known here.
    baseValues = {};
    saver.showConflict(JSON.parse(refusedAgainst.textContent));
  } else {
    var draft = readDraft();
    if (draft) {
      if (same(draft.values, values())) {
        hugi.drafts.remove(draftKey);
      } else {
        setValues(draft.values);
        if (typeof draft.base === "number") saver.setBase(draft.base, draft.baseValues || {});
        saver.dirty = true;
        saver.show("unsaved", words.restored);
        saver.schedule(0);
      }
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && FIELDS.indexOf(event.target.name) !== -1) saver.changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "cover_photo" || event.target.name === "language") saver.changed();
  });
  form.addEventListener("submit", function (event) {
    if (saver.conflict) {
      // Nothing is sent until the user has chosen between the two versions.
      event.preventDefault();
      conflictView.scrollIntoView({ block: "nearest" });
      return;
    }
    if (saver.busy()) {
      // Wait for the autosave's new version, or this post would meet it as a conflict.
      event.preventDefault();
      waitingSubmit = { submitter: event.submitter || undefined };
      return;
    }
    // A button posts the whole form (and the server saves it): no autosave may race it.
    saver.stop();
  });
  document.querySelectorAll("[data-markdown-field]").forEach(markdownPreview);
})();
