// Progressive enhancement of the survey's "area on a map" question. Without JavaScript the
// respondent types one "latitude, longitude" a line into the text field; with it each click on
// the map adds a point, the polygon is drawn, and the text field is kept in step (it stays the
// answer that is sent, so the server checks the same thing either way).
(function () {
  "use strict";

  var LINE = /^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$/;

  function parse(text) {
    var points = [];
    text.split(/\r?\n/).forEach(function (line) {
      var found = LINE.exec(line);
      if (found) {
        var lat = parseFloat(found[1]);
        var lon = parseFloat(found[2]);
        if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) { points.push([lat, lon]); }
      }
    });
    return points;
  }

  function format(points) {
    return points.map(function (p) { return p[0].toFixed(6) + ", " + p[1].toFixed(6); }).join("\n");
  }

  function button(text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button-secondary";
    b.textContent = text;
    return b;
  }

  function setUp(holder) {
    var input = document.getElementById(holder.dataset.input);
    if (!input || !window.L) { return; }
    var max = parseInt(holder.dataset.max || "50", 10);
    holder.hidden = false;

    var mapEl = document.createElement("div");
    mapEl.className = "map map-small";
    mapEl.setAttribute("role", "region");
    mapEl.setAttribute("aria-label", holder.dataset.label);
    var tools = document.createElement("div");
    tools.className = "area-picker-tools";
    var undo = button(holder.dataset.undo);
    var clear = button(holder.dataset.clear);
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("aria-live", "polite");
    tools.appendChild(undo);
    tools.appendChild(clear);
    tools.appendChild(status);
    holder.appendChild(mapEl);
    holder.appendChild(tools);

    var points = parse(input.value);
    var map = L.map(mapEl).setView([52.1, 19.4], 6);
    L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution, maxZoom: 19 }).addTo(map);
    var shape = L.polygon([], { color: "#1f4e8c", weight: 3 }).addTo(map);
    var corners = L.layerGroup().addTo(map);

    function draw(write) {
      shape.setLatLngs(points);
      corners.clearLayers();
      points.forEach(function (p) {
        L.circleMarker(p, { radius: 5, color: "#1f4e8c", fillOpacity: 1 }).addTo(corners);
      });
      if (write) { input.value = format(points); }
      status.textContent = holder.dataset.count + " " + points.length;
      undo.disabled = points.length === 0;
      clear.disabled = points.length === 0;
    }

    map.on("click", function (event) {
      if (points.length >= max) { return; }
      points.push([event.latlng.lat, event.latlng.lng]);
      draw(true);
    });
    undo.addEventListener("click", function () { points.pop(); draw(true); });
    clear.addEventListener("click", function () { points = []; draw(true); });
    // Typing in the field redraws the shape, without rewriting what is being typed.
    input.addEventListener("input", function () { points = parse(input.value); draw(false); });

    draw(false);
    if (points.length) { map.fitBounds(L.latLngBounds(points), { maxZoom: 16 }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".area-picker"), setUp);
  });
})();
