"use strict";
// The field page's service worker: keeps a copy of /lapor so the page opens without
// signal (its queued reports live in localStorage and wait there). Network first, so a
// phone with signal always gets the hub's current page; the copy only when the network
// fails or is too slow. It touches nothing but the page itself: every API request goes
// straight to the network, never through a cache.
var CACHE = "lapor-v1";
var PAGE = "/lapor";
var SLOW_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(PAGE); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});
self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname !== PAGE) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    var fresh = fetch(event.request, { cache: "no-cache" }).then(function (response) {
      if (response.ok) cache.put(PAGE, response.clone());
      return response;
    });
    var late = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS); });
    return Promise.race([fresh.catch(function () { return null; }), late]).then(function (first) {
      if (first) return first;
      return cache.match(PAGE, { ignoreVary: true }).then(function (copy) { return copy || fresh; });
    });
  }));
});
