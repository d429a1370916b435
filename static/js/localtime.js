// Times are printed in the conference's zone. A visitor in another zone can switch every
// <time> on the page to their own; the choice is remembered on this device.
(function () {
  "use strict";
  var label = document.querySelector("[data-tz-label]");
  var toggle = document.querySelector("[data-tz-toggle]");
  if (!label || !toggle || !window.Intl) return;
  var conferenceZone = label.dataset.tz;
  var localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var times = Array.prototype.slice.call(document.querySelectorAll("main time[datetime*='T']"));
  var originalLabel = label.textContent;
  var zone = conferenceZone;

  function dayIn(date, timeZone) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone }).format(date);
  }
  hugi.time.zone = zone; // timeline.js labels its "now" line in it

  var sample = times.length ? new Date(Date.parse(times[0].getAttribute("datetime"))) : new Date();
  var clock = hugi.time.clock;
  if (!localZone || clock(sample, localZone, true) === clock(sample, conferenceZone, true)) {
    return; // the visitor is in the conference's zone: nothing to switch
  }

  function show(target) {
    zone = target;
    hugi.time.zone = target;
    var local = target !== conferenceZone;
    times.forEach(function (el) {
      if (!("conferenceText" in el.dataset)) el.dataset.conferenceText = el.textContent;
      if (!local) {
        el.textContent = el.dataset.conferenceText;
        return;
      }
      var date = new Date(Date.parse(el.getAttribute("datetime")));
      var otherDay = dayIn(date, target) !== dayIn(date, conferenceZone);
      el.textContent = clock(date, target, el.hasAttribute("data-with-date") || otherDay);
    });
    label.textContent = local ? hugi.fill(toggle.dataset.localLabel, { zone: target }) : originalLabel;
    toggle.textContent = local ? toggle.dataset.showConference : toggle.dataset.showLocal;
    toggle.setAttribute("aria-pressed", local ? "true" : "false");
    try { localStorage.setItem("hugi.timezone", local ? "local" : "conference"); } catch (e) { /* private mode */ }
    document.dispatchEvent(new CustomEvent("hugi:timezone"));
  }

  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    show(zone === conferenceZone ? localZone : conferenceZone);
  });
  try {
    if (localStorage.getItem("hugi.timezone") === "local") show(localZone);
  } catch (e) { /* private mode */ }
})();
