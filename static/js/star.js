/* Star buttons update in place: the form is sent with fetch and replaced by the button the
 * server sends back (the same partial the page rendered). Without this script the form posts
 * and the page reloads, which works just as well.
 *
 * Offline, a star is queued on this device (per signed-in person: the owner mark the server
 * sets, notes/offline.py) and the button shows it is waiting; the queue is sent, last choice
 * per session, as soon as a page of the site is open online. base.html loads this script on
 * every signed-in page for that. */
(function () {
  "use strict";
  if (window.hugiStarsLoaded) return; // some pages name this script twice
  window.hugiStarsLoaded = true;
  var texts = document.querySelector("script[data-msg-pending]"); // base.html's
  var pendingText = texts ? texts.dataset.msgPending : "";
  var QUEUE_PREFIX = "hugi:stars:";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]+)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function queueKey() {
    var owner = cookie("hugi_owner");
    return owner ? QUEUE_PREFIX + owner : null;
  }

  function readQueue() {
    var key = queueKey();
    try {
      return (key && JSON.parse(localStorage.getItem(key) || "{}")) || {};
    } catch (error) {
      return {};
    }
  }

  function writeQueue(queue) {
    var key = queueKey();
    if (!key) return;
    try {
      if (Object.keys(queue).length) localStorage.setItem(key, JSON.stringify(queue));
      else localStorage.removeItem(key);
    } catch (error) {
      /* storage full or refused: the button says it was not sent */
    }
  }

  /* Queues left by someone else who was signed in on this device are never theirs to send. */
  function dropOthersQueues() {
    var mine = queueKey();
    for (var i = localStorage.length - 1; i >= 0; i -= 1) {
      var key = localStorage.key(i);
      if (key && key.indexOf(QUEUE_PREFIX) === 0 && key !== mine) localStorage.removeItem(key);
    }
  }

  function send(url, starred, form) {
    var data = new FormData(form || undefined);
    data.set("starred", starred);
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": cookie("csrftoken") },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
        var error = new Error("not a star button");
        error.answered = true; // not a lost connection: signed out, refused, or a server error
        error.refused = response.status >= 400 && response.status < 500;
        throw error;
      }
      return response.text();
    });
  }

  function replace(form, html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    form.replaceWith(fresh);
    return fresh;
  }

  /* The button as if the choice were made: pressed state, glyph, and "waiting". */
  function showPending(form, starred) {
    var button = form.querySelector("button[name=starred]");
    if (!button) return;
    button.value = starred === "1" ? "0" : "1";
    button.setAttribute("aria-pressed", starred === "1" ? "true" : "false");
    button.classList.toggle("is-starred", starred === "1");
    button.classList.add("is-pending");
    button.title = pendingText;
    var glyph = button.querySelector("[aria-hidden]");
    if (glyph) glyph.textContent = starred === "1" ? "★" : "☆";
    button.disabled = false;
  }

  function queue(form, starred) {
    var pending = readQueue();
    pending[form.action] = starred;
    writeQueue(pending);
    showPending(form, starred);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-star-form]");
    if (!form) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[name=starred]");
    var starred = button ? button.value : "1";
    if (!navigator.onLine) {
      queue(form, starred);
      return;
    }
    if (button) button.disabled = true;
    send(form.action, starred, form)
      .then(function (html) {
        var pending = readQueue();
        delete pending[form.action]; // this choice is newer than any queued one
        writeQueue(pending);
        var freshButton = replace(form, html).querySelector("button");
        if (freshButton) freshButton.focus();
      })
      .catch(function (error) {
        if (!error.answered) {
          queue(form, starred); // no connection after all (bad Wi-Fi)
          return;
        }
        // Signed out or refused: fall back to the plain form post.
        if (button) {
          button.disabled = false;
          var choice = document.createElement("input");
          choice.type = "hidden";
          choice.name = "starred";
          choice.value = starred;
          form.append(choice);
        }
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  /* Sends what was starred offline; each choice leaves the queue once the server has it. */
  function flush() {
    if (!navigator.onLine) return;
    var pending = readQueue();
    Object.keys(pending).forEach(function (url) {
      send(url, pending[url], null).then(function (html) {
        var now = readQueue();
        if (now[url] === pending[url]) delete now[url];
        writeQueue(now);
        document.querySelectorAll("form[data-star-form]").forEach(function (form) {
          if (form.action === url) replace(form, html);
        });
      }, function (error) {
        if (!error.refused) return; // still no connection: the next "online" tries again
        var now = readQueue();
        delete now[url]; // the session is gone or the request is refused: it never will be
        writeQueue(now);
      });
    });
  }

  function showQueued() {
    var pending = readQueue();
    document.querySelectorAll("form[data-star-form]").forEach(function (form) {
      if (form.action in pending) showPending(form, pending[form.action]);
    });
  }

  try {
    dropOthersQueues();
  } catch (error) {
    return; // no storage at all: stars go straight to the server or not at all
  }
  showQueued();
  flush();
  window.addEventListener("online", flush);
})();
