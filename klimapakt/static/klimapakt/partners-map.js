/* Maps of the partner directory (Leaflet, vendored). Progressive enhancement: every page
   lists all partners without JavaScript, and the profile form saves a location without it.

   Two clicks (docs/partners.md, "Map"): the tile server only learns about a visitor after the
   visitor chose "Karte laden". The template keeps the tile URL in data attributes (never in
   src or href); the choice is remembered in sessionStorage, i.e. until the browser tab closes. */
(function () {
  "use strict";
  var CONSENT_KEY = "kp-map-consent";
  var FALLBACK_CENTER = [51.3338, 6.5623];
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

  function consented() {
    try { return window.sessionStorage.getItem(CONSENT_KEY) === "1"; } catch (e) { return false; }
  }

  function rememberConsent() {
    try { window.sessionStorage.setItem(CONSENT_KEY, "1"); } catch (e) { /* private mode: ask again */ }
  }

  function numbers(text, count) {
    var values = (text || "").split(",").map(function (v) { return parseFloat(v); });
    return values.length === count && values.every(function (v) { return !isNaN(v); }) ? values : null;
  }

  function asText(text) {  // Leaflet shows the attribution as HTML; the setting is plain text
    var box = document.createElement("span");
    box.textContent = text;
    return box.innerHTML;
  }

  function baseMap(el, zoom) {
    var center = numbers(el.getAttribute("data-center"), 2) || FALLBACK_CENTER;
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, zoom);
    L.tileLayer(el.getAttribute("data-tile-url"), {
      maxZoom: 18, attribution: asText(el.getAttribute("data-tile-attribution") || "")
    }).addTo(map);
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
    var status = document.getElementById(el.id + "-status");
    var comma = (document.documentElement.lang || "de").slice(0, 2) !== "en";
    var map = baseMap(el, 12);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    function write(value) {
      var text = value.toFixed(5);
      return comma ? text.replace(".", ",") : text;
    }
    if (lat.value && lng.value) {
      var start = [parseFloat(lat.value.replace(",", ".")), parseFloat(lng.value.replace(",", "."))];
      if (!isNaN(start[0]) && !isNaN(start[1])) { place(start); map.setView(start, 15); }
    }
    map.on("click", function (e) {
      place(e.latlng);
      lat.value = write(e.latlng.lat);
      lng.value = write(e.latlng.lng);
      if (status) { status.textContent = status.getAttribute("data-message") || ""; }
    });
  }

  // Shows the consent box; the map (and the first request to the tile server) only after the
  // click, or at once when the visitor agreed earlier in this tab.
  function withConsent(el, init) {
    if (!el.getAttribute("data-tile-url")) { return; }
    var box = document.getElementById(el.id + "-consent");
    var started = false;
    function load(focus) {
      if (started) { return; }
      started = true;
      if (box) { box.hidden = true; }
      el.hidden = false;
      init(el);
      if (focus) { el.focus(); }
    }
    if (consented()) { load(false); return; }
    if (!box) { return; }
    box.hidden = false;
    var button = box.querySelector("[data-map-load]");
    if (button) {
      button.addEventListener("click", function () { rememberConsent(); load(true); });
    }
  }

  ready(function () {
    if (typeof L === "undefined") { return; }
    useIconsOfScriptTag();
    var el = document.getElementById("kp-partner-map");
    if (el) { withConsent(el, partnerMap); }
    var pick = document.getElementById("kp-map-picker");
    if (pick) { withConsent(pick, picker); }
  });
}());
