/* Photos in the note editor, part 1 of 4: the note's Markdown.
 *
 * The photo scripts share `hugi.photos` and are loaded in this order: photo-text.js (this: the
 * photos' Markdown in the note's text), photo-queue.js (photos on their way: kept in IndexedDB
 * until the server has them, retried, each with a status line), photo-manager.js (move, edit,
 * delete and insert from the list) and photo-upload.js (choose, paste and drop; each photo's
 * own request; it switches the tools on). Without them the same forms work as plain posts.
 *
 * A placeholder enters the note at the cursor at once, so the photo keeps its place while the
 * user types on; the server's answer replaces it with the photo's Markdown, and an `input`
 * event tells the editor (autosave, preview) that the text changed. */
(function () {
  "use strict";

  var root = document.querySelector("[data-photo-tools]");
  if (!root) return;

  var textarea =
    document.querySelector("textarea[data-note-body]") ||
    document.querySelector("form[data-note-editor] textarea[name=body]");
  var cursorPlaced = false; // until the user has been in the text, photos go at its end

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

  if (textarea) {
    ["focus", "pointerdown", "keydown"].forEach(function (type) {
      textarea.addEventListener(type, function () {
        cursorPlaced = true;
      });
    });
  }

  hugi.photos = {
    root: root,
    textarea: textarea,
    words: root.dataset,
    textChanged: textChanged,
    altText: altText,
    placeholder: placeholder,
    placeholderPattern: placeholderPattern,
    insertAtCursor: insertAtCursor,
    appendToText: appendToText,
    replaceInText: replaceInText,
    removeFromText: removeFromText,
    photoPattern: photoPattern,
  };
})();
