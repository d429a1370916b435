/* Live preview of the note, rendered by the server's one sanitizing Markdown renderer
 * (markdownx's preview endpoint). Only while the preview is on screen; on a phone it is a tab.
 * A failed preview never touches the text: it only says that the preview needs a connection. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-note-editor]");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=body]");
  var preview = form.querySelector(".markdownx-preview");
  var tabs = form.querySelector(".editor-tabs");
  var url = textarea.dataset.markdownxUrlsPath;
  var words = JSON.parse(document.getElementById("editor-messages").textContent);
  var DELAY = 700;
  var timer = null;
  var shown = null; // the text the preview shows
  var pending = false;

  // A named region (a div may not carry a name without a role), silent while it refreshes.
  preview.setAttribute("role", "region");
  preview.setAttribute("aria-live", "off");
  preview.setAttribute("aria-label", tabs.querySelector("[data-show=preview]").textContent);

  function visible() {
    return preview.offsetParent !== null;
  }

  function fail() {
    var note = preview.querySelector(".preview-offline");
    if (!note) {
      note = document.createElement("p");
      note.className = "preview-offline";
      preview.prepend(note);
    }
    note.textContent = words.previewOffline;
  }

  function render() {
    if (!visible()) return;
    var text = textarea.value;
    if (text === shown) return;
    if (pending) {
      schedule();
      return;
    }
    pending = true;
    hugi
      .renderMarkdown(url, text, form) // a redirect (to the sign-in page) is no preview
      .then(function (html) {
        preview.innerHTML = html; // sanitized by the server (nh3 allow-list)
        shown = text;
      })
      .catch(fail)
      .finally(function () {
        pending = false;
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(render, DELAY);
  }

  function show(which) {
    form.dataset.showing = which;
    tabs.querySelectorAll("[data-show]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.show === which));
    });
    if (which === "preview") render();
    else textarea.focus();
  }

  tabs.hidden = false;
  form.dataset.showing = "write";
  tabs.addEventListener("click", function (event) {
    var button = event.target.closest("[data-show]");
    if (button) show(button.dataset.show);
  });
  textarea.addEventListener("input", schedule);
  textarea.addEventListener("hugi:textchange", schedule);
  window.addEventListener("online", schedule);
  window.addEventListener("resize", schedule);
  render();
})();
