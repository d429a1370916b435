// The day timeline: marks what is on now and draws the "now" line across the grid.
// The page works without it; the server already marked "now" when the page was made.
(function () {
  "use strict";
  var grid = document.querySelector(".tl");
  if (!grid) return;
  var sessions = Array.prototype.slice.call(grid.querySelectorAll(".s"));
  var spans = sessions.map(function (s) {
    var times = s.querySelectorAll(".s-when time"); // start and end
    return [Date.parse(times[0].dateTime), Date.parse(times[1].dateTime)];
  });
  var rows = Array.prototype.slice.call(grid.querySelectorAll(".tl-time[data-at]"));
  var rowStarts = rows.map(function (r) { return Date.parse(r.dataset.at); });
  var dayEnd = Math.max.apply(null, spans.map(function (t) { return t[1]; }));
  var line = grid.querySelector("[data-now-line]");
  var label = line && line.querySelector("[data-now-label]");

  function placeLine(now) {
    var inGrid = getComputedStyle(grid).display === "grid";
    if (!line || !rows.length || !inGrid || now < rowStarts[0] || now >= dayEnd) {
      if (line) line.hidden = true;
      return;
    }
    var i = rowStarts.length - 1;
    while (i > 0 && rowStarts[i] > now) i--;
    var next = i + 1 < rowStarts.length ? rowStarts[i + 1] : dayEnd;
    var row = rows[i];
    var top = row.offsetTop + ((now - rowStarts[i]) / (next - rowStarts[i])) * row.offsetHeight;
    line.style.top = top + "px"; // CSSOM, which CSP allows, unlike style="" in the markup
    line.hidden = false;
    var zone = hugi.time.zone; // the zone localtime.js shows the page's times in
    if (label) label.textContent = zone ? hugi.time.clock(new Date(now), zone) : "";
  }

  function tick() {
    var now = Date.now();
    sessions.forEach(function (s, i) {
      s.classList.toggle("is-now", spans[i][0] <= now && now < spans[i][1]);
    });
    placeLine(now);
  }

  tick();
  setInterval(tick, 30000);
  window.addEventListener("resize", function () { placeLine(Date.now()); });
  document.addEventListener("hugi:timezone", function () { placeLine(Date.now()); });
})();
