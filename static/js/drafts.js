/* "Drafts on this device" on My hugi: notes typed here that the server has not confirmed yet
 * (kept in localStorage by editor.js, through hugi.drafts). Opening one sends it. */
(function () {
  "use strict";
  var section = document.querySelector("[data-drafts]");
  if (!section) return;
  var prefix = section.dataset.prefix;
  var list = section.querySelector("[data-drafts-list]");
  var drafts = hugi.drafts.list(prefix);
  if (!drafts) return; // no storage on this device: nothing to list
  drafts = drafts.filter(function (draft) {
    return draft.dirty && typeof draft.url === "string" && draft.url.charAt(0) === "/";
  });
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
      time.textContent = " · " + hugi.time.when(new Date(draft.at));
      item.append(time);
    }
    list.append(item);
  });
  section.hidden = drafts.length === 0;
})();
