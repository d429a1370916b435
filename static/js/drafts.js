/* "Drafts on this device" on My hugi: notes typed here that the server has not confirmed yet
 * (kept in localStorage by editor.js). Opening one sends it. */
(function () {
  "use strict";
  var section = document.querySelector("[data-drafts]");
  if (!section) return;
  var prefix = section.dataset.prefix;
  var list = section.querySelector("[data-drafts-list]");
  var when = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  var drafts = [];
  try {
    for (var index = 0; index < localStorage.length; index++) {
      var key = localStorage.key(index);
      if (key.indexOf(prefix) !== 0) continue;
      var draft = JSON.parse(localStorage.getItem(key));
      if (draft && draft.dirty && typeof draft.url === "string" && draft.url.charAt(0) === "/") {
        drafts.push(draft);
      }
    }
  } catch (error) {
    return; // no storage on this device: nothing to list
  }
  drafts.sort(function (a, b) {
    return (b.at || 0) - (a.at || 0);
  });
  drafts.forEach(function (draft) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = draft.url;
    link.textContent = draft.title || draft.url;
    item.append(link);
    if (draft.at) {
      var time = document.createElement("span");
      time.className = "draft-when";
      time.textContent = " · " + when.format(new Date(draft.at));
      item.append(time);
    }
    list.append(item);
  });
  section.hidden = drafts.length === 0;
})();
