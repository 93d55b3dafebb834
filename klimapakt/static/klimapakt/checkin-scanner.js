// The organiser's QR scanner on the check-in page (events/backoffice_checkin.py). It reads the
// phone's camera (getUserMedia; the page alone allows the camera, Permissions-Policy) with the
// browser's BarcodeDetector where there is one, else with the vendored jsQR (vendor/jsqr),
// puts the code into the page's text field and sends the form. Without a camera or JavaScript
// the text field and the name search work as they are. After a scan the page comes back with
// the result; the camera starts again by itself if it was on (sessionStorage). The code just
// sent is not sent again while it stays in front of the camera (LAST): the page would otherwise
// reload in a loop and replace "Eingecheckt" with "bereits eingecheckt". Once the camera has not
// seen it for GONE frames in a row (about a second), it may be scanned again.
(function () {
  "use strict";
  var KEY = "kp-checkin-camera";
  var LAST = "kp-checkin-last-code";
  var GONE = 6;

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-scanner]");
    var form = document.getElementById("checkin-code-form");
    if (!box || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    var input = form.querySelector("input[name=code]");
    var video = box.querySelector("[data-scanner-video]");
    var status = box.querySelector("[data-scanner-status]");
    var start = box.querySelector("[data-scanner-start]");
    var stop = box.querySelector("[data-scanner-stop]");
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", {willReadFrequently: true});
    var detector = null;
    var stream = null;
    var done = false;
    box.hidden = false;

    function say(name) { status.textContent = box.getAttribute("data-text-" + name) || ""; }

    var last = null;
    var missing = 0;
    try { last = sessionStorage.getItem(LAST); } catch (e) { /* private mode */ }

    function forgetLast() {
      last = null;
      try { sessionStorage.removeItem(LAST); } catch (e) { /* private mode */ }
    }

    function found(code) {
      if (done) { return false; }
      if (code && code === last) { missing = 0; say("repeat"); return false; }
      if (last !== null && ++missing >= GONE) { forgetLast(); say("scanning"); }
      if (!code) { return false; }
      done = true;
      say("found");
      try { sessionStorage.setItem(LAST, code); } catch (e) { /* private mode */ }
      input.value = code;
      halt(false);
      form.submit();
      return true;
    }

    function halt(forget) {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
      if (forget) {
        try { sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
        forgetLast();
      }
    }

    function frame() {
      if (!stream || done) { return; }
      if (video.readyState < 2) { window.requestAnimationFrame(frame); return; }
      if (detector) {
        detector.detect(video).then(function (codes) {
          var code = "";
          codes.forEach(function (c) { if (!code || code === last) { code = c.rawValue; } });
          if (!found(code)) { window.setTimeout(frame, 150); }
        }).catch(function () { detector = null; window.requestAnimationFrame(frame); });
        return;
      }
      if (typeof window.jsQR !== "function") { return; }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var result = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
      if (!found(result && result.data ? result.data : "")) { window.setTimeout(frame, 150); }
    }

    function begin() {
      say("starting");
      var ready = Promise.resolve();
      if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
        ready = window.BarcodeDetector.getSupportedFormats().then(function (formats) {
          if (formats.indexOf("qr_code") !== -1) { detector = new window.BarcodeDetector({formats: ["qr_code"]}); }
        }).catch(function () { detector = null; });
      }
      ready.then(function () {
        return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
      }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        stop.hidden = false;
        start.hidden = true;
        try { sessionStorage.setItem(KEY, "1"); } catch (e) { /* private mode */ }
        return video.play();
      }).then(function () {
        say("scanning");
        frame();
      }).catch(function () {
        halt(true);
        say("denied");
      });
    }

    start.addEventListener("click", begin);
    stop.addEventListener("click", function () { halt(true); status.textContent = ""; });
    var wasOn = false;
    try { wasOn = sessionStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
    if (wasOn) { begin(); }
  });
}());
