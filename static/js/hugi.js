/* What several of hugi's scripts share, as `window.hugi`: the CSRF token, filling in a
 * translated message, times on the clock, the drafts kept on this device, and HTML fragments
 * from the server. Loaded (deferred) before every script that uses it; it touches no page. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var formats = {};

  /* The token Django checks: the cookie's (it follows a sign-in made in another tab), else the
   * one the page was rendered with, from the form field inside `scope` (the document if none). */
  function csrfToken(scope) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = (scope || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* A translated message with its %(name)s placeholders filled in (Django's notation). */
  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  // --- times -------------------------------------------------------------------------------------

  function formatter(options) {
    var key = JSON.stringify(options);
    if (!formats[key]) formats[key] = new Intl.DateTimeFormat(lang, options);
    return formats[key];
  }

  var time = {
    /* The zone the page's times are shown in, while localtime.js shows them (else undefined). */
    zone: undefined,
    /* "14:05" (24-hour clock) in timeZone, the browser's if none; withDate puts the day before. */
    clock: function (date, timeZone, withDate) {
      var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: timeZone };
      if (withDate) {
        options.month = "short";
        options.day = "numeric";
        options.weekday = "short";
      }
      return formatter(options).format(date);
    },
    /* A date and a time, for "when was this kept". */
    when: function (date) {
      return formatter({ dateStyle: "medium", timeStyle: "short" }).format(date);
    },
  };

  // --- drafts on this device (localStorage) ------------------------------------------------------

  var drafts = {
    /* The draft under key, or null (none, unreadable, or no storage on this device). */
    read: function (key) {
      try {
        var draft = JSON.parse(localStorage.getItem(key));
        return draft && typeof draft === "object" ? draft : null;
      } catch (error) {
        return null;
      }
    },
    /* Keeps draft under key; false when it could not be kept (storage full or blocked). */
    write: function (key, draft) {
      try {
        localStorage.setItem(key, JSON.stringify(draft));
        return true;
      } catch (error) {
        return false;
      }
    },
    remove: function (key) {
      try {
        localStorage.removeItem(key);
      } catch (error) {
        /* no storage: nothing was kept */
      }
    },
    /* Every readable draft whose key starts with prefix; null when there is no storage. */
    list: function (prefix) {
      var found = [];
      try {
        for (var index = 0; index < localStorage.length; index++) {
          var key = localStorage.key(index);
          if (key.indexOf(prefix) === 0) {
            var draft = drafts.read(key);
            if (draft) found.push(draft);
          }
        }
      } catch (error) {
        return null;
      }
      return found;
    },
  };

  // --- HTML from the server ----------------------------------------------------------------------

  /* GET url (POST body, with the CSRF token, when a body is given) and resolve to the HTML the
   * server rendered. Anything else rejects: an error, a redirect (to the sign-in page), a proxy's
   * answer that is not HTML. */
  function fetchHTML(url, body, scope) {
    var init = { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } };
    if (body) {
      init.method = "POST";
      init.body = body;
      init.headers["X-CSRFToken"] = csrfToken(scope);
    }
    return fetch(url, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
        throw new Error("not the HTML asked for");
      }
      return response.text();
    });
  }

  /* The server's one sanitizing Markdown renderer (markdownx's preview endpoint at url). */
  function renderMarkdown(url, text, scope) {
    var data = new URLSearchParams();
    data.set("content", text);
    return fetchHTML(url, data, scope);
  }

  window.hugi = {
    csrfToken: csrfToken,
    fill: fill,
    time: time,
    drafts: drafts,
    fetchHTML: fetchHTML,
    renderMarkdown: renderMarkdown,
  };
})();
