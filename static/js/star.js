/* Star buttons update in place: the form is sent with fetch and replaced by the button the
 * server sends back (the same partial the page rendered). Without this script the form posts
 * and the page reloads, which works just as well. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-star-form]");
    if (!form) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[name=starred]");
    var data = new FormData(form);
    if (button && button.name) data.set(button.name, button.value);
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
          throw new Error("not a star button");
        }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.firstElementChild;
        form.replaceWith(fresh);
        var freshButton = fresh.querySelector("button");
        if (freshButton) freshButton.focus();
      })
      .catch(function () {
        // Signed out, offline or refused: fall back to the plain form post.
        if (button) {
          button.disabled = false;
          var choice = document.createElement("input");
          choice.type = "hidden";
          choice.name = button.name;
          choice.value = button.value;
          form.append(choice);
        }
        if (navigator.onLine) HTMLFormElement.prototype.submit.call(form);
      });
  });
})();
