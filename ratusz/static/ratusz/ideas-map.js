// Progressive enhancement: the ideas' map and the place picker. Without JavaScript the list
// and the latitude/longitude fields still work.
(function () {
  "use strict";
  function tiles(el) {
    return L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var mapEl = document.getElementById("ideas-map");
    if (mapEl && window.L) {
      var map = L.map(mapEl).setView([52.1, 19.4], 6);
      tiles(mapEl).addTo(map);
      fetch(mapEl.dataset.source, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var layer = L.geoJSON(data, {
            onEachFeature: function (feature, marker) {
              var link = document.createElement("a");
              link.href = "/ideas/" + feature.properties.id + "/";
              link.textContent = feature.properties.title;
              marker.bindPopup(link);
            },
          }).addTo(map);
          if (data.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
        });
    }
    var picker = document.getElementById("place-picker");
    if (picker && window.L) {
      var lat = document.getElementById("id_latitude");
      var lng = document.getElementById("id_longitude");
      var start = lat && lat.value ? [parseFloat(lat.value), parseFloat(lng.value)] : [52.1, 19.4];
      var pick = L.map(picker).setView(start, lat && lat.value ? 15 : 6);
      tiles(picker).addTo(pick);
      var marker = lat && lat.value ? L.marker(start).addTo(pick) : null;
      pick.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(6);
        lng.value = event.latlng.lng.toFixed(6);
        if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(pick); }
      });
    }
  });
})();
