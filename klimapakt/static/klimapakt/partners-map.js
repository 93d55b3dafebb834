/* Maps of the partner directory (Leaflet, vendored). Progressive enhancement: every page
   lists all partners without JavaScript; when map tiles cannot load, the list still works. */
(function () {
  "use strict";
  var TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";
  var CENTER = [51.3338, 6.5623];
  // Leaflet guesses its marker images from leaflet.css; with hashed static file names
  // (ManifestStaticFilesStorage) the guess fails and the browser asks for "marker-icon.png"
  // next to the page. The template names the real files on this script's tag.
  var SCRIPT = document.currentScript;

  function useIconsOfScriptTag() {
    if (!SCRIPT || !SCRIPT.getAttribute("data-icon-url")) { return; }
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: SCRIPT.getAttribute("data-icon-url"),
      iconRetinaUrl: SCRIPT.getAttribute("data-icon-retina-url"),
      shadowUrl: SCRIPT.getAttribute("data-shadow-url")
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function baseMap(el, zoom) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(CENTER, zoom);
    L.tileLayer(TILES, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "© OpenStreetMap" }).addTo(map);
    return map;
  }

  function partnerMap(el) {
    var data = document.getElementById("kp-map-points");
    var points = data ? JSON.parse(data.textContent) : [];
    var urlTemplate = el.getAttribute("data-url-template") || "";
    var map = baseMap(el, 12);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.latitude, p.longitude], { title: p.name, alt: p.name }).addTo(map);
      var link = document.createElement("a");
      link.href = urlTemplate.replace("/0/", "/" + p.pk + "/");
      link.textContent = p.name;
      marker.bindPopup(link);
      bounds.push([p.latitude, p.longitude]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24] }); }
    else if (bounds.length === 1) { map.setView(bounds[0], 14); }
  }

  function picker(el) {
    var lat = document.getElementById(el.getAttribute("data-lat-input"));
    var lng = document.getElementById(el.getAttribute("data-lng-input"));
    if (!lat || !lng) { return; }
    var map = baseMap(el, 12);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    if (lat.value && lng.value) {
      var start = [parseFloat(lat.value.replace(",", ".")), parseFloat(lng.value.replace(",", "."))];
      if (!isNaN(start[0]) && !isNaN(start[1])) { place(start); map.setView(start, 15); }
    }
    map.on("click", function (e) {
      place(e.latlng);
      lat.value = e.latlng.lat.toFixed(5);
      lng.value = e.latlng.lng.toFixed(5);
    });
  }

  ready(function () {
    if (typeof L === "undefined") { return; }
    useIconsOfScriptTag();
    var el = document.getElementById("kp-partner-map");
    if (el) { partnerMap(el); }
    var pick = document.getElementById("kp-map-picker");
    if (pick) { picker(pick); }
  });
}());
