/* The write-up compose page: autosave, a draft on this device, and live previews.
 *
 * The form works without this script (every button is a plain POST). With it, every change is
 * kept in localStorage at once and sent to the server ~1.5 s after typing stops (and when the
 * page is hidden), as the same form POST with fetch; the server answers JSON. After each save
 * the preview of the whole post is fetched again: it is the public page's own template partial,
 * rendered by the server. The introduction and closing also get a Write / Preview switch,
 * rendered by the server's one sanitizing Markdown renderer (markdownx's preview endpoint). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-writeup-form]");
  if (!form) return;

  var DELAY = 1500;
  var MAX_RETRY = 60000;
  var FIELDS = ["title", "summary", "intro", "closing", "cover_photo"];
  var words = JSON.parse(document.getElementById("writeup-words").textContent);
  var statusLine = form.querySelector("[data-save-status]");
  var previewBox = document.querySelector("[data-writeup-preview]");
  var draftKey = form.dataset.draftKey;
  var timer = null;
  var retryDelay = 0;
  var inFlight = false;
  var again = false;
  var dirty = false;
  var submitting = false;
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
        var radio = form.querySelector("input[name=cover_photo][value='" + CSS.escape(saved[name]) + "']");
        if (radio) radio.checked = true;
        return;
      }
      var field = form.elements[name];
      if (field) field.value = saved[name];
    });
  }

  function same(a, b) {
    return FIELDS.every(function (name) {
      return (a[name] || "") === (b[name] || "");
    });
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
    try {
      localStorage.setItem(draftKey, JSON.stringify({ values: values(), at: Date.now() }));
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
    show(words.unsaved, "unsaved");
    schedule();
  }

  function body() {
    // The form as a plain POST would send it, without any button's name.
    return new URLSearchParams(new FormData(form));
  }

  function save(keepalive) {
    clearTimeout(timer);
    if (!dirty || submitting) return;
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
    show(words.saving, "saving");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: body(),
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") !== 0) {
          throw new Error(response.status === 403 ? "forbidden" : "no answer");
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            var refused = new Error(data.error || String(response.status));
            refused.refused = true;
            throw refused;
          }
          return data;
        });
      })
      .then(function (data) {
        retryDelay = 0;
        dropDraftIf(sent);
        if (!dirty) show(fill(words.saved, { time: timeFormat.format(new Date(data.saved_at)) }), "saved");
        refreshPreview();
      })
      .catch(function (error) {
        dirty = true;
        if (error.refused) {
          // The server said why (a title is needed…): wait for the next edit.
          show(fill(words.failed, { reason: error.message }), "error");
          return;
        }
        retryDelay = Math.min(MAX_RETRY, retryDelay ? retryDelay * 2 : 2000);
        show(navigator.onLine ? fill(words.failed, { reason: "" }) : words.offline, "offline");
        schedule(retryDelay);
      })
      .finally(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

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

  var draft = readDraft();
  if (draft) {
    if (same(draft.values, values())) {
      localStorage.removeItem(draftKey);
    } else {
      setValues(draft.values);
      dirty = true;
      show(words.restored, "unsaved");
      schedule(0);
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && FIELDS.indexOf(event.target.name) !== -1) changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "cover_photo") changed();
  });
  form.addEventListener("submit", function () {
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
