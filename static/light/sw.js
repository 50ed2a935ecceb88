/* Service worker of the Tianxiang Cycling Guide's light pages (scope /r/): what a rider has opened stays readable
 * where the signal drops. Served at /r/sw.js (routes/web/offline.py), registered by offline.js after a page's load.
 *
 *   pages (catalogue, route, POI,     network first; every answer is saved; without a network (or none within
 *   race page and its closures)       NAV_NETWORK_TIMEOUT_MS) the saved copy, marked with the time it was saved in a
 *                                     <meta name="offline-saved"> that offline.js turns into a banner
 *   a page never saved, no network    the offline page in the page's language (both kept from install on)
 *   /r/s/<version>/... assets         cache first: their URL changes with their content
 *   /r/<slug>.gpx and .tcx            network first, saved when a route page names them (offline.js sends its links)
 *   map tiles the rider has seen      cache first, at most TILE_CACHE_MAX_ENTRIES, the oldest dropped
 *   POI photos the rider has seen     cache first, at most PHOTO_CACHE_MAX_ENTRIES, the oldest dropped
 *   /r/race/<slug>/closures.pdf, .csv network only: printed or sent to the police from a desk, not read on the road
 *
 * Nothing is fetched that the rider's own pages did not ask for: no bulk prefetch of tiles (docs/offline.md: the
 * tile providers' terms, the rider's data plan, the browser's storage quota), nor of photos a page never showed. ETag
 * revalidation of pages stays the server's: the network requests go through the browser's HTTP cache, so an
 * unchanged page is still a 304.
 */
'use strict';

// Cache names carry a schema number, not the asset version: a deploy must not throw away the pages a rider saved.
// Bump SCHEMA only when what is stored changes shape; activate deletes every cache of ours under another name.
var PREFIX = 'tianxiang-';
var SCHEMA = 'v1';
var CACHE = {
  page: PREFIX + 'pages-' + SCHEMA,
  offline: PREFIX + 'offline-' + SCHEMA,
  asset: PREFIX + 'assets-' + SCHEMA,
  file: PREFIX + 'files-' + SCHEMA,
  tile: PREFIX + 'tiles-' + SCHEMA,
  photo: PREFIX + 'photos-' + SCHEMA
};
// Bounds in entries, the oldest dropped first. A route page is stored uncompressed (about 90 kB), a POI page or the
// catalogue far less: 60 pages are at most about 5 MB.
var PAGE_CACHE_MAX_ENTRIES = 60;
// One asset version is about ten files, 210 kB (Leaflet, its images, our scripts and styles): the last few deploys.
var ASSET_CACHE_MAX_ENTRIES = 60;
// GPX and TCX of 20 routes (Tianxiang's are 49 and 182 kB as stored).
var FILE_CACHE_MAX_ENTRIES = 40;
// 256-px tiles of 10-30 kB: at most about 20 MB on disk, a few routes' worth at the zooms a rider uses.
var TILE_CACHE_MAX_ENTRIES = 800;
// POI photo renditions the pages showed. A 640 px WebP is about 20 kB: 200 are about 4 MB. A 2x or 3x phone draws the
// 1280 px one (about 2.5 times the bytes, the seed's), about 10 MB. A route page shows a handful (Tianxiang's 3).
var PHOTO_CACHE_MAX_ENTRIES = 200;
// A page whose network answer takes longer than this comes from the saved copy (a weak signal, not a lost one); the
// answer still updates the saved copy when it arrives.
var NAV_NETWORK_TIMEOUT_MS = 8000;
// Most URLs one page may ask the worker to save at once: a route page names itself, about ten assets, its GPX and
// TCX and the tiles its map showed before the worker controlled it (a phone's first view is a few dozen).
var SAVE_MAX_URLS = 100;
var OFFLINE_PAGE_PATH = '/r/offline.html';
// Hosts of the basemap tiles (routes/views/maps.py; the same list as tests/e2e/harness.py TILE_HOST_SUFFIXES).
var TILE_HOST_SUFFIXES = ['.is.autonavi.com', 'tile.openstreetmap.org', '.tile.opentopomap.org', '.tianditu.gov.cn'];
// Stored with a saved page: when it was saved (ISO 8601, UTC) and its title (URI-encoded: headers are Latin-1).
var SAVED_HEADER = 'x-offline-saved';
var TITLE_HEADER = 'x-offline-title';
// The catalogue, a route, a POI, a published race and its closure notice (routes/web/racepage.py; a slug has no dot,
// so /r/race/<slug>.png and /closures.pdf or .csv are not pages).
var PAGE_PATH = /^\/r\/(|[a-z0-9-]+|poi\/[^/]+|race\/[a-z0-9-]+(\/closures)?)$/;
// A photo rendition (routes/web/photos.py NAME_RE and RENDITION_WIDTHS_PX): immutable under its URL.
var PHOTO_PATH = /^\/r\/photo\/[0-9a-f]{32}-(320|640|1280)\.(webp|jpg)$/;
var FILE_PATH = /^\/r\/[a-z0-9-]+\.(gpx|tcx)$/;

function noop() {}

function isEnglish(url) {
  return (url.searchParams.get('lang') || '').toLowerCase().indexOf('en') === 0;
}

// What a request is to this worker: 'page', 'file', 'asset', 'photo', 'offline', 'other' (under /r/), 'tile', or
// null.
function kind(url) {
  if (url.origin !== self.location.origin) {
    var host = url.hostname;
    return TILE_HOST_SUFFIXES.some(function (s) { return host.slice(-s.length) === s; }) ? 'tile' : null;
  }
  var path = url.pathname;
  if (path.indexOf('/r/') !== 0) return null;
  if (path.indexOf('/r/s/') === 0) return 'asset';
  if (path === OFFLINE_PAGE_PATH) return 'offline';
  if (FILE_PATH.test(path)) return 'file';
  if (PHOTO_PATH.test(path)) return 'photo';
  if (PAGE_PATH.test(path)) return 'page';
  return 'other';
}

// One key per page and language: /r/tianxiang?from=qr and /r/tianxiang are the same saved page.
function pageKey(url) {
  return url.origin + url.pathname + (isEnglish(url) ? '?lang=en' : '');
}

function offlineKey(url) {
  return OFFLINE_PAGE_PATH + (isEnglish(url) ? '?lang=en' : '');
}

// --- bounds ----------------------------------------------------------------------------------------------------------

// The oldest entries past ``max`` (Cache Storage lists keys in the order they were put).
function trim(name, max) {
  return caches.open(name).then(function (cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map(function (k) { return cache.delete(k); }));
    });
  });
}

// One trim of a cache at a time, and one more after it when entries were put meanwhile: a screenful of tiles puts
// dozens at once.
var trims = {};
function trimLater(name, max) {
  var state = trims[name] || (trims[name] = {running: null, again: false});
  if (state.running) { state.again = true; return state.running; }
  state.running = trim(name, max).catch(noop).then(function () {
    state.running = null;
    if (state.again) { state.again = false; return trimLater(name, max); }
  });
  return state.running;
}

// When the browser refuses a put for its storage quota, the oldest half of the tiles go (they are what fills it: see
// fetchTile), once for all the puts refused at the same moment: a screenful of refusals must not empty the cache.
var QUOTA_BACKOFF_MS = 10000;
var room = {running: null, doneAt: 0};
function makeRoom() {
  if (room.running) return room.running;
  if (Date.now() - room.doneAt < QUOTA_BACKOFF_MS) return Promise.resolve();
  room.running = caches.open(CACHE.tile).then(function (cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.slice(0, Math.ceil(keys.length / 2)).map(function (k) { return cache.delete(k); }));
    });
  }).catch(noop).then(function () { room.running = null; room.doneAt = Date.now(); });
  return room.running;
}

// Put and keep the bound; a put refused for the quota is tried once more after makeRoom, then given up.
function putBounded(name, max, key, response) {
  var again = response.clone();
  return caches.open(name).then(function (cache) {
    return cache.put(key, response).catch(function (err) {
      if (!err || err.name !== 'QuotaExceededError') throw err;
      return makeRoom().then(function () { return cache.put(key, again); });
    });
  }).then(function () { return trimLater(name, max); }).catch(noop);
}

// --- pages -----------------------------------------------------------------------------------------------------------

// An answer the server marks no-store (a draft an editor previews) is never saved on the phone.
function storable(response) {
  return response.ok && response.type === 'basic' && !/no-store/i.test(response.headers.get('cache-control') || '');
}

function savable(response) {
  return response && storable(response) &&
    (response.headers.get('content-type') || '').indexOf('text/html') === 0;
}

function titleOf(html) {
  var m = /<title>([^<]*)<\/title>/i.exec(html);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'").trim() : '';
}

function savePage(key, response) {
  return response.text().then(function (html) {
    var headers = new Headers({'Content-Type': response.headers.get('content-type')});
    headers.set(SAVED_HEADER, new Date().toISOString());
    headers.set(TITLE_HEADER, encodeURIComponent(titleOf(html)));
    return putBounded(CACHE.page, PAGE_CACHE_MAX_ENTRIES, key, new Response(html, {status: 200, headers: headers}));
  });
}

// The saved copy with the time it was saved in a <meta> at the top of <head>, for offline.js's banner.
function savedPage(key) {
  return caches.match(key, {cacheName: CACHE.page}).then(function (hit) {
    if (!hit) return null;
    var saved = hit.headers.get(SAVED_HEADER) || '';
    if (!/^[0-9TZ:.+-]+$/.test(saved)) saved = '';
    return hit.text().then(function (html) {
      var meta = '<meta name="offline-saved" content="' + saved + '">';
      return new Response(html.replace(/<head[^>]*>/i, function (m) { return m + meta; }), {
        status: 200, headers: {'Content-Type': hit.headers.get('content-type') || 'text/html; charset=utf-8'}
      });
    });
  });
}

function offlinePage(url) {
  return caches.match(offlineKey(url), {cacheName: CACHE.offline}).then(function (hit) {
    return hit || Response.error();
  });
}

// The offline page itself: the kept copy (it must open with no signal), the network only when none is kept.
function serveOffline(event, url) {
  event.waitUntil(Promise.resolve(event.preloadResponse).catch(noop));  // unused when kept: settled, not cancelled
  return caches.match(offlineKey(url), {cacheName: CACHE.offline}).then(function (hit) {
    return hit || fromNetwork(event);
  }).catch(function () { return Response.error(); });
}

// The network's answer to a request: for a navigation, the one the browser preloaded while this worker started.
function fromNetwork(event) {
  var preload = event.request.mode === 'navigate' ? event.preloadResponse : null;
  return Promise.resolve(preload).then(function (response) { return response || fetch(event.request); });
}

function within(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error('timeout')); }, ms);
    promise.then(function (r) { clearTimeout(timer); resolve(r); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

function servePage(event, url) {
  var key = pageKey(url);
  var network = fromNetwork(event);
  // Registered before the page gets the answer, so the copy is taken before the page reads the body.
  event.waitUntil(network.then(function (response) {
    if (savable(response)) return savePage(key, response.clone());
    if (response.status === 404 || response.status === 410) {  // unpublished: no longer shown offline either
      return caches.open(CACHE.page).then(function (cache) { return cache.delete(key); });
    }
  }).catch(noop));
  return within(network, NAV_NETWORK_TIMEOUT_MS).catch(function () {
    return savedPage(key).then(function (saved) {
      return saved || network.catch(function () { return offlinePage(url); });
    });
  });
}

// Any other navigation under /r/ (a share picture, the Streamlit page's embedded viewer): the network, and without
// one the offline page rather than the browser's error.
function serveOther(event, url) {
  return fromNetwork(event).catch(function () { return offlinePage(url); });
}

// --- files, assets, tiles --------------------------------------------------------------------------------------------

function serveFile(event, url) {
  var key = pageKey(url);
  return fromNetwork(event).then(function (response) {
    if (storable(response)) {
      event.waitUntil(putBounded(CACHE.file, FILE_CACHE_MAX_ENTRIES, key, response.clone()));
    }
    return response;
  }).catch(function () {
    return caches.match(key, {cacheName: CACHE.file}).then(function (hit) {
      return hit || (event.request.mode === 'navigate' ? offlinePage(url) : Response.error());
    });
  });
}

// Tiles are asked for with CORS: an opaque answer counts several megabytes against the site's storage quota in
// Chrome (padding that hides its real size; about 200 filled a test profile's quota), a CORS answer its real size.
// A host that refuses CORS while a plain request works (tiles shown without CORS headers) is asked plainly from then
// on, until this worker stops, and its tiles are kept opaque: the tile cache then holds what the quota allows.
var plainHosts = {};
function fetchTile(url) {
  var plain = function () { return fetch(url.href, {mode: 'no-cors', credentials: 'omit'}); };
  if (plainHosts[url.hostname]) return plain();
  return fetch(url.href, {mode: 'cors', credentials: 'omit'}).catch(function () {
    return plain().then(function (response) { plainHosts[url.hostname] = true; return response; });
  });
}

function keepable(response) {
  return response.ok || response.type === 'opaque';  // an opaque answer's status is hidden: kept as it is
}

function serveCacheFirst(event, name, max) {
  var request = event.request;
  return caches.match(request.url, {cacheName: name, ignoreVary: true}).then(function (hit) {
    if (hit) return hit;
    return (name === CACHE.tile ? fetchTile(new URL(request.url)) : fetch(request)).then(function (response) {
      if (keepable(response)) event.waitUntil(putBounded(name, max, request.url, response.clone()));
      return response;
    });
  }).catch(function () { return Response.error(); });
}

// --- what the pages ask --------------------------------------------------------------------------------------------

// Save what a page names: its GPX and TCX, and when it was loaded before this worker controlled it (the first visit)
// the page itself, its assets and the tiles its map showed. Each URL once, through the HTTP cache: an asset the page
// has just loaded costs nothing, a page or file a 304, a tile nothing when its host let the browser keep it.
function saveAll(urls) {
  var jobs = urls.slice(0, SAVE_MAX_URLS).map(function (text) {
    var url;
    try { url = new URL(text, self.location.href); } catch (e) { return Promise.resolve(null); }
    var k = kind(url);
    var own = url.origin === self.location.origin;
    if (!(own && ['page', 'file', 'asset', 'photo', 'offline'].indexOf(k) >= 0) && k !== 'tile') {
      return Promise.resolve(null);
    }
    var target = k === 'page' || k === 'file' ? pageKey(url) : k === 'offline' ? offlineKey(url) : url.href;
    var name = k === 'asset' ? CACHE.asset : k === 'tile' ? CACHE.tile : k === 'photo' ? CACHE.photo : null;
    var known = name ? caches.match(target, {cacheName: name, ignoreVary: true}) : Promise.resolve(null);
    return known.then(function (hit) {
      if (hit) return target;
      return (k === 'tile' ? fetchTile(url) : fetch(url.href)).then(function (response) {
        var put;
        if (k === 'tile') {
          if (!keepable(response)) return null;
          put = putBounded(CACHE.tile, TILE_CACHE_MAX_ENTRIES, target, response);
        } else {
          if (!response.ok || response.type !== 'basic') return null;
          put = k === 'page' ? savePage(target, response)
            : k === 'file' ? putBounded(CACHE.file, FILE_CACHE_MAX_ENTRIES, target, response)
            : k === 'asset' ? putBounded(CACHE.asset, ASSET_CACHE_MAX_ENTRIES, target, response)
            : k === 'photo' ? putBounded(CACHE.photo, PHOTO_CACHE_MAX_ENTRIES, target, response)
            : caches.open(CACHE.offline).then(function (cache) { return cache.put(target, response); });
        }
        return put.then(function () { return target; });
      });
    }).catch(function () { return null; });
  });
  return Promise.all(jobs).then(function (done) { return done.filter(Boolean); });
}

// The saved pages in one language, newest first, for the offline page's list.
function listSaved(lang) {
  return caches.open(CACHE.page).then(function (cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.map(function (request) {
        return cache.match(request).then(function (r) {
          return r && {url: request.url, title: decodeURIComponent(r.headers.get(TITLE_HEADER) || ''),
                       saved: r.headers.get(SAVED_HEADER) || ''};
        });
      }));
    });
  }).then(function (pages) {
    return pages.filter(function (p) { return p && isEnglish(new URL(p.url)) === (lang === 'en'); })
      .sort(function (a, b) { return a.saved < b.saved ? 1 : a.saved > b.saved ? -1 : 0; });
  });
}

function reply(event, message) {
  if (event.ports && event.ports[0]) event.ports[0].postMessage(message);
  else if (event.source) event.source.postMessage(message);
}

// --- lifecycle -------------------------------------------------------------------------------------------------------

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE.offline)
    .then(function (cache) { return cache.addAll([OFFLINE_PAGE_PATH, OFFLINE_PAGE_PATH + '?lang=en']); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  var current = Object.keys(CACHE).map(function (k) { return CACHE[k]; });
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && current.indexOf(n) < 0; })
        .map(function (n) { return caches.delete(n); }));
    })
    .then(function () {
      // The network answer of a navigation starts while this worker boots (a phone takes 50-500 ms to start one).
      if (self.registration.navigationPreload) return self.registration.navigationPreload.enable().catch(noop);
    })
    .then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  var k = kind(url);
  if (request.mode === 'navigate') {
    if (k === 'page') event.respondWith(servePage(event, url));
    else if (k === 'file') event.respondWith(serveFile(event, url));
    else if (k === 'offline') event.respondWith(serveOffline(event, url));
    else if (k === 'other') event.respondWith(serveOther(event, url));
    return;
  }
  if (k === 'asset') event.respondWith(serveCacheFirst(event, CACHE.asset, ASSET_CACHE_MAX_ENTRIES));
  else if (k === 'tile') event.respondWith(serveCacheFirst(event, CACHE.tile, TILE_CACHE_MAX_ENTRIES));
  else if (k === 'photo') event.respondWith(serveCacheFirst(event, CACHE.photo, PHOTO_CACHE_MAX_ENTRIES));
  else if (k === 'file') event.respondWith(serveFile(event, url));
});

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'save' && Array.isArray(data.urls)) {
    event.waitUntil(saveAll(data.urls).then(function (saved) { reply(event, {type: 'saved', urls: saved}); }));
  } else if (data.type === 'list') {
    event.waitUntil(listSaved(data.lang === 'en' ? 'en' : 'zh').then(function (pages) {
      reply(event, {type: 'list', pages: pages});
    }));
  }
});
