/* Photos in the note editor, part 3 of 4: the list of the note's photos (move, edit, delete,
 * insert). The partial's own forms are posted with fetch and the list the server sends back is
 * put in place; without this script the same forms work as plain posts. The note's text
 * follows: a deleted photo leaves it, an edited caption becomes its alt text there. */
(function () {
  "use strict";

  var photos = window.hugi && hugi.photos;
  if (!photos) return;

  var root = photos.root;
  var textarea = photos.textarea;
  var words = photos.words;
  var listUrl = root.dataset.listUrl;

  function revealInsertButtons(within) {
    within.querySelectorAll("[data-photo-insert]").forEach(function (button) {
      button.hidden = false;
    });
  }

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
    revealInsertButtons(fresh);
    if (focusSelector) {
      var target = fresh.querySelector(focusSelector);
      if (target && !target.disabled) target.focus();
    }
  }

  /* The list again, from the server (after an upload). */
  function refreshList() {
    hugi
      .fetchHTML(listUrl)
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
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": hugi.csrfToken(root) },
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

  /* The note's alt text follows the caption. */
  function captionInText(photoId, caption) {
    var pattern = photos.photoPattern(photoId, "g");
    var updated = textarea.value.replace(pattern, function (whole, url) {
      return "![" + photos.altText(caption) + "](" + url + ")";
    });
    if (updated !== textarea.value) {
      textarea.value = updated;
      photos.textChanged();
    }
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
          while (photos.removeFromText(photos.photoPattern(photoId))) {
            // every place the note showed it
          }
        } else if (action === "update" && caption !== null && textarea) {
          captionInText(photoId, caption);
        }
        showList(html, focus);
      })
      .catch(function (error) {
        if (submitter) submitter.disabled = false;
        photos.showError(error.message);
      });
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-photo-insert]");
    if (!button) return;
    photos.insertAtCursor(button.closest("[data-photo-item]").dataset.photoMarkdown);
    if (textarea) textarea.focus();
  });

  revealInsertButtons(root);
  photos.refreshList = refreshList;
})();
