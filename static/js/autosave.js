/* One autosave engine, for the note editor (editor.js) and the write-up compose page (writeup.js).
 *
 * The page keeps what is on screen in a draft on this device at every change; the engine sends
 * it as JSON a moment after typing stops (and when the page is hidden or closed, and when the
 * connection comes back), with the server version it was based on. Only the server's answer
 * moves that version and says "Saved":
 * - 200: saved; anything typed meanwhile goes next.
 * - 409: another device saved first. When the server already holds exactly these texts (an
 *   earlier save whose answer got lost) that is a save too; otherwise the page's conflict view
 *   gets the server's copy and nothing is sent until the user has chosen (resolve()).
 * - 400 or 413 with a reason: the page says why, and the engine waits for the next edit.
 * - anything else (offline, signed out, a server error, a sign-in page): tried again with
 *   back-off, from 2 s up to a minute.
 *
 * What differs between the two pages comes in as options:
 *   form (its action is the save URL, and it holds the CSRF field), status (the status line),
 *   words ({saved, unsaved, saving, offline}: the status line's messages), delay (ms after an
 *   edit), base (the version the page was rendered with), loginUrl (linked from the status line),
 *   read() (what is on screen now), same(a, b), fromServer(data) (a 409's stored texts as read()
 *   gives them), payload(texts, base) (the object to send), keep() (write the draft),
 *   check(texts) (false when there is nothing to send: the page said why), based(version, texts)
 *   (the server version changed; texts are the server's texts at that version), and what the
 *   page shows: saved(data, texts), conflict(data), refused(data), signedOut(), failed(delay),
 *   changedInConflict(), afterFlight() (true when it took over after a request). */
(function () {
  "use strict";

  var FIRST_RETRY = 2000;
  var MAX_RETRY = 60000;
  var KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KB
  var encoder = new TextEncoder();

  function none() {}

  function autosave(options) {
    var statusLine = options.status;
    var words = options.words;
    var timer = null;
    var retryDelay = 0;
    var inFlight = false;
    var again = false; // a save was asked for while one was on its way
    var blocked = false; // the server refused these texts: wait for the next edit
    var stopped = false; // the page posts the form itself
    var saver = {
      base: options.base, // the server's version the texts on screen are based on
      dirty: false, // the texts differ from what the server confirmed
      conflict: null, // the server's copy while the user chooses
      busy: function () {
        return inFlight;
      },
    };

    // --- the status line -----------------------------------------------------------------------

    function show(state, text, link) {
      if (statusLine.dataset.state === state && statusLine.dataset.text === text) return;
      statusLine.dataset.state = state;
      statusLine.dataset.text = text;
      statusLine.textContent = text;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = options.loginUrl;
        anchor.target = "_blank";
        anchor.rel = "noopener";
        anchor.textContent = link;
        statusLine.append(" ", anchor);
      }
    }

    function showSaved(when) {
      var date = when ? new Date(when) : new Date();
      if (isNaN(date)) date = new Date();
      show("saved", hugi.fill(words.saved, { time: hugi.time.clock(date) }));
    }

    function signedOut() {
      return statusLine.dataset.state === "signed-out";
    }

    // --- saving --------------------------------------------------------------------------------

    function setBase(version, texts) {
      saver.base = version;
      options.based(version, texts);
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(save, delay === undefined ? options.delay : delay);
    }

    /* The page's texts changed: keep them on this device, send them after delay. */
    function changed(delay) {
      saver.dirty = true;
      blocked = false;
      options.keep();
      if (saver.conflict) {
        (options.changedInConflict || none)(); // nothing is sent until the user has chosen
        return;
      }
      if (!signedOut()) show("unsaved", words.unsaved);
      schedule(delay);
    }

    function save(keepalive) {
      clearTimeout(timer);
      if (!saver.dirty || saver.conflict || blocked || stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      if (!navigator.onLine) {
        // The "online" event sends it; until then it is safe on this device.
        show("offline", words.offline);
        return;
      }
      var texts = options.read();
      if (options.check && !options.check(texts)) return;
      var body = JSON.stringify(options.payload(texts, saver.base));
      inFlight = true;
      if (!signedOut()) show("saving", words.saving);
      fetch(options.form.action, {
        method: "POST",
        credentials: "same-origin",
        keepalive: Boolean(keepalive) && encoder.encode(body).length < KEEPALIVE_LIMIT,
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": hugi.csrfToken(options.form),
          "X-Requested-With": "fetch",
        },
        body: body,
      })
        .then(function (response) {
          if (response.redirected) return answered(401, null, texts); // the sign-in page
          var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          var data = isJson ? response.json() : Promise.resolve(null);
          return data.then(
            function (json) {
              answered(response.status, json, texts);
            },
            function () {
              answered(response.status, null, texts);
            }
          );
        })
        .catch(function () {
          answered(0, null, texts);
        })
        .finally(function () {
          inFlight = false;
          var takenOver = Boolean(options.afterFlight && options.afterFlight());
          if (again) {
            again = false;
            if (saver.dirty && !takenOver) schedule(0);
          }
        });
    }

    function answered(status, data, texts) {
      var versioned = data && typeof data.version === "number";
      if (status === 200 && versioned) {
        retryDelay = 0;
        setBase(data.version, texts);
        saver.dirty = !options.same(options.read(), texts);
        confirmed(data, texts);
      } else if (status === 409 && versioned) {
        retryDelay = 0;
        var current = options.read();
        if (options.same(options.fromServer(data), current)) {
          setBase(data.version, current);
          saver.dirty = false;
          confirmed(data, current);
        } else {
          showConflict(data);
        }
      } else if ((status === 400 || status === 413) && data && data.error) {
        blocked = true;
        options.refused(data);
      } else {
        retryDelay = Math.min(retryDelay ? retryDelay * 2 : FIRST_RETRY, MAX_RETRY);
        if (status === 401 || status === 403) options.signedOut();
        else options.failed(retryDelay);
        schedule(retryDelay);
      }
    }

    function confirmed(data, texts) {
      options.saved(data, texts);
      if (saver.dirty) {
        show("unsaved", words.unsaved);
        schedule();
      } else {
        showSaved(data.saved_at);
      }
    }

    // --- two devices ---------------------------------------------------------------------------

    function showConflict(data) {
      saver.conflict = data;
      clearTimeout(timer);
      options.conflict(data);
    }

    /* The user chose: the texts on screen are now based on the server's version (and its
     * texts); the page then says whether they still need saving. */
    function resolve(version, texts) {
      saver.conflict = null;
      setBase(version, texts);
    }

    /* The page is being hidden or closed: send now, and let the request outlive the page. */
    function flush() {
      if (!inFlight) save(true);
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
    window.addEventListener("online", function () {
      retryDelay = 0;
      save();
    });

    saver.show = show;
    saver.showSaved = showSaved;
    saver.changed = changed;
    saver.save = save;
    saver.schedule = schedule;
    saver.setBase = setBase;
    saver.showConflict = showConflict;
    saver.resolve = resolve;
    saver.block = function () {
      blocked = true;
    };
    saver.stop = function () {
      stopped = true;
      clearTimeout(timer);
    };
    return saver;
  }

  hugi.autosave = autosave;
})();
