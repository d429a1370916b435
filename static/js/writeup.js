/* The write-up compose page: autosave, a draft on this device, two devices, live previews.
 *
 * The form works without this script (every button is a plain POST). With it, every change is
 * kept in localStorage at once and sent to the server as JSON ~1.5 s after typing stops (and
 * when the page is hidden), with the version it was based on. A save based on an older version
 * than the server's (another device saved meanwhile) is refused with the server's texts (409),
 * and the conflict view shows both: keep mine, keep theirs, or merge. After each save the
 * preview of the whole post is fetched again: it is the public page's own template partial,
 * rendered by the server. The introduction and closing also get a Write / Preview switch,
 * rendered by the server's one sanitizing Markdown renderer (markdownx's preview endpoint). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-writeup-form]");
  if (!form) return;

  var DELAY = 1500;
  var MAX_RETRY = 60000;
  var KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KB
  var FIELDS = ["title", "summary", "intro", "closing", "cover_photo", "language"];
  var LONG_FIELDS = ["summary", "intro", "closing"]; // merged by putting both texts together
  var words = JSON.parse(document.getElementById("writeup-words").textContent);
  var statusLine = form.querySelector("[data-save-status]");
  var previewBox = document.querySelector("[data-writeup-preview]");
  var baseInput = form.querySelector("input[name=base_version]");
  var conflictView = document.querySelector("[data-conflict-view]");
  var mergePanel = conflictView.querySelector("[data-merge]");
  var draftKey = form.dataset.draftKey;
  var base = Number(baseInput.value) || 0; // the server's version these texts are based on
  var baseValues = values(); // the texts at that version, for merging
  var conflict = null; // the server's texts while the user chooses
  var timer = null;
  var retryDelay = 0;
  var inFlight = false;
  var again = false;
  var dirty = false;
  var submitting = false;
  var waitingSubmit = null; // {submitter}: a button pressed while a save was on its way
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

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(text, state) {
    statusLine.textContent = text;
    statusLine.dataset.state = state;
  }

  function showSaved(when) {
    show(fill(words.saved, { time: timeFormat.format(when ? new Date(when) : new Date()) }), "saved");
  }

  // --- the fields and the draft on this device ---------------------------------------------------

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

  function setBase(version, texts) {
    base = version;
    baseValues = texts;
    baseInput.value = String(version); // a plain form post (a layout button) sends it too
  }

  function readDraft() {
    try {
      var draft = JSON.parse(localStorage.getItem(draftKey));
      return draft && typeof draft === "object" && draft.values ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function keepDraft() {
    var draft = { values: values(), base: base, baseValues: baseValues, at: Date.now() };
    try {
      localStorage.setItem(draftKey, JSON.stringify(draft));
    } catch (error) {
      /* storage full or blocked: the text is still on screen and will be sent */
    }
  }

  function dropDraftIf(sent) {
    var draft = readDraft();
    if (draft && same(draft.values, sent)) localStorage.removeItem(draftKey);
  }

  // --- saving --------------------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay === undefined ? DELAY : delay);
  }

  function changed() {
    dirty = true;
    keepDraft();
    if (conflict) {
      fillConflict(); // nothing is sent until the user has chosen
      return;
    }
    show(words.unsaved, "unsaved");
    schedule();
  }

  function payload(sent) {
    var data = { base_version: base };
    FIELDS.forEach(function (name) {
      data[name] = sent[name];
    });
    data.cover_photo = sent.cover_photo ? Number(sent.cover_photo) : null;
    return JSON.stringify(data);
  }

  function save(keepalive) {
    clearTimeout(timer);
    if (!dirty || submitting || conflict) return;
    if (inFlight) {
      again = true;
      return;
    }
    if (!navigator.onLine) {
      show(words.offline, "offline");
      return;
    }
    inFlight = true;
    dirty = false;
    var sent = values();
    var body = payload(sent);
    show(words.saving, "saving");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive && encoder.encode(body).length < KEEPALIVE_LIMIT,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body,
    })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.redirected) return answered(401, null, sent); // sent to the sign-in page
        if (!isJson) return answered(response.status, null, sent);
        return response.json().then(function (data) {
          answered(response.status, data, sent);
        });
      })
      .catch(function () {
        answered(0, null, sent);
      })
      .finally(function () {
        inFlight = false;
        if (waitingSubmit) {
          var submitter = waitingSubmit.submitter;
          waitingSubmit = null;
          form.requestSubmit(submitter);
        } else if (again) {
          again = false;
          save();
        }
      });
  }

  function answered(status, data, sent) {
    if (status === 200 && data && typeof data.version === "number") {
      retryDelay = 0;
      setBase(data.version, sent);
      dropDraftIf(sent);
      if (dirty) {
        keepDraft();
        schedule();
      } else {
        showSaved(data.saved_at);
      }
      refreshPreview();
    } else if (status === 409 && data && typeof data.version === "number") {
      retryDelay = 0;
      dirty = true;
      if (same(serverValues(data), values())) {
        // The server already holds exactly these texts (an earlier save whose answer got lost).
        setBase(data.version, values());
        dirty = false;
        dropDraftIf(values());
        showSaved(data.saved_at);
      } else {
        showConflict(data);
      }
    } else if ((status === 400 || status === 413) && data && data.error) {
      // The server said why (a title is needed…): wait for the next edit.
      dirty = true;
      show(fill(words.failed, { reason: data.error }), "error");
    } else {
      dirty = true;
      retryDelay = Math.min(MAX_RETRY, retryDelay ? retryDelay * 2 : 2000);
      if (status === 401 || status === 403) show(words.signedOut, "error");
      else show(navigator.onLine ? fill(words.failed, { reason: "" }) : words.offline, "offline");
      schedule(retryDelay);
    }
  }

  // --- two devices: the conflict view ----------------------------------------------------------

  function serverValues(data) {
    var result = {};
    FIELDS.forEach(function (name) {
      result[name] = data[name] === null || data[name] === undefined ? "" : String(data[name]);
    });
    return result;
  }

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
    var theirs = serverValues(conflict);
    FIELDS.forEach(function (name) {
      var row = conflictView.querySelector("[data-conflict-field=" + name + "]");
      row.querySelector("[data-mine]").value = shown(name, mine[name]);
      row.querySelector("[data-theirs]").value = shown(name, theirs[name]);
      row.hidden = mine[name] === theirs[name];
    });
  }

  function showConflict(data) {
    conflict = data;
    clearTimeout(timer);
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
    show(words.conflict, "error");
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
    if (!conflict) return;
    var mine = values();
    var theirs = serverValues(conflict);
    if (choice === "merge") {
      showMerge(mine, theirs);
      return;
    }
    var kept = choice === "theirs" ? theirs : choice === "merged" ? mergedChoice(mine, theirs) : mine;
    var savedAt = conflict.saved_at;
    setBase(conflict.version, theirs); // whatever is kept, it is based on their version now
    conflict = null;
    conflictView.hidden = true;
    setValues(kept);
    if (choice === "theirs") {
      dirty = false;
      localStorage.removeItem(draftKey);
      showSaved(savedAt);
      refreshPreview();
      return;
    }
    dirty = true;
    keepDraft();
    save();
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

  // --- the preview of the whole post ----------------------------------------------------------

  function refreshPreview() {
    if (!previewBox) return;
    fetch(previewBox.dataset.url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("no preview");
        return response.text();
      })
      .then(function (html) {
        previewBox.innerHTML = html; // the server's own template, Markdown sanitized by nh3
      })
      .catch(function () {
        /* the preview waits for the next save */
      });
  }

  // --- Write / Preview for the introduction and the closing ----------------------------------

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
      var data = new URLSearchParams();
      data.set("content", textarea.value);
      fetch(textarea.dataset.markdownxUrlsPath, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        body: data,
      })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("no preview");
          return response.text();
        })
        .then(function (html) {
          box.innerHTML = html; // sanitized by the server (nh3 allow-list)
        })
        .catch(function () {
          box.textContent = words.previewOffline;
        });
    });
  }

  // --- wiring --------------------------------------------------------------------------------

  var refusedAgainst = document.getElementById("writeup-conflict-data");
  if (refusedAgainst) {
    // The server refused a form post (a button) against another device's texts: the form holds
    // this device's, and the version they were based on is not known here.
    baseValues = {};
    showConflict(JSON.parse(refusedAgainst.textContent));
  } else {
    var draft = readDraft();
    if (draft) {
      if (same(draft.values, values())) {
        localStorage.removeItem(draftKey);
      } else {
        setValues(draft.values);
        if (typeof draft.base === "number") setBase(draft.base, draft.baseValues || {});
        dirty = true;
        show(words.restored, "unsaved");
        schedule(0);
      }
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && FIELDS.indexOf(event.target.name) !== -1) changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "cover_photo" || event.target.name === "language") changed();
  });
  form.addEventListener("submit", function (event) {
    if (conflict) {
      // Nothing is sent until the user has chosen between the two versions.
      event.preventDefault();
      conflictView.scrollIntoView({ block: "nearest" });
      return;
    }
    if (inFlight) {
      // Wait for the autosave's new version, or this post would meet it as a conflict.
      event.preventDefault();
      waitingSubmit = { submitter: event.submitter || undefined };
      return;
    }
    // A button posts the whole form (and the server saves it): no autosave may race it.
    submitting = true;
    clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
  window.addEventListener("online", function () {
    if (dirty) schedule(0);
  });
  document.querySelectorAll("[data-markdown-field]").forEach(markdownPreview);
})();
