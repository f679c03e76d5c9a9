// Progressive enhancement: the place of an event on a map. Without JavaScript the address and
// the OpenStreetMap link still say where it is.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("event-map");
    if (!el || !window.L) { return; }
    var at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    var map = L.map(el).setView(at, 16);
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    L.marker(at).addTo(map);
  });
})();
