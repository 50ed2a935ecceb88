/* Offline helper of the light pages (plain script, loaded with defer at the end of every light page).
 *
 * 1. A page the service worker (sw.js) served from its saved copy carries <meta name="offline-saved" content="ISO
 *    time">: show a banner saying so and when it was saved, in Beijing time, in the page's language (the sentence
 *    comes from the server in this script's data-banner attribute).
 * 2. On the offline page, list the pages saved on this phone in this language (the worker knows them).
 * 3. After the page has loaded, register the worker and tell it what this page needs offline: its GPX and TCX links,
 *    and, when the worker did not control this page yet (the first visit), the page itself, its assets and the map
 *    tiles it has shown (only those: no tile is fetched that the rider has not seen).
 * Registration waits for the load event and REGISTER_DELAY_MS more, so it never competes with the route line.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  // After the load event: the worker's install (two small offline pages) and the downloads it saves come last.
  var REGISTER_DELAY_MS = 1000;
  // Versioned assets (immutable under their URL) and the route's downloads, as sw.js classifies them.
  var ASSET_PREFIX = '/r/s/';
  var FILE_PATH = /^\/r\/[a-z0-9-]+\.(gpx|tcx)$/;
  var OFFLINE_PAGE_PATH = '/r/offline.html';
  // The guide's riders are in Zhejiang: saved times are Beijing time in both languages (the banner says so).
  var TIME_ZONE = 'Asia/Shanghai';
  var BEIJING_UTC_OFFSET_MS = 8 * 3600 * 1000;
  // Whether the worker served this page: if not (the first visit), the page and its assets are not saved yet.
  var controlled = !!(navigator.serviceWorker && navigator.serviceWorker.controller);
  var lang = (document.documentElement.lang || '').toLowerCase().indexOf('en') === 0 ? 'en' : 'zh';

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function beijingTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    try {
      return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: TIME_ZONE, year: 'numeric', month: lang === 'en' ? 'short' : 'long', day: 'numeric',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
      }).format(d);
    } catch (err) {  // a browser without time-zone data: the same moment, written as numbers
      var b = new Date(d.getTime() + BEIJING_UTC_OFFSET_MS);
      return b.getUTCFullYear() + '-' + pad(b.getUTCMonth() + 1) + '-' + pad(b.getUTCDate()) + ' ' +
        pad(b.getUTCHours()) + ':' + pad(b.getUTCMinutes());
    }
  }

  function showBanner() {
    var meta = document.querySelector('meta[name="offline-saved"]');
    var sentence = script.getAttribute('data-banner');
    if (!meta || !sentence) return;
    var banner = document.createElement('p');
    banner.className = 'offline-banner';
    banner.setAttribute('role', 'status');
    banner.textContent = sentence.replace('{time}', beijingTime(meta.getAttribute('content')));
    var main = document.getElementById('main') || document.body.firstChild;
    main.parentNode.insertBefore(banner, main);
  }

  function listSaved() {
    var list = document.querySelector('[data-offline-saved]');
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!list) return;
    // Shown in place of another page: the language switch leads to that page in the other language (it may be saved).
    var switcher = document.querySelector('.top .lang');
    if (switcher && location.pathname !== OFFLINE_PAGE_PATH) {
      switcher.setAttribute('href', location.pathname + (lang === 'en' ? '' : '?lang=en'));
    }
    if (!worker || !window.MessageChannel) return;
    var brandEl = document.querySelector('.top .brand'), brand = brandEl ? brandEl.textContent.trim() : '';
    var channel = new MessageChannel();
    channel.port1.onmessage = function (evt) {
      var pages = (evt.data && evt.data.pages) || [];
      pages.forEach(function (p) {
        var li = document.createElement('li'), a = document.createElement('a');
        a.href = p.url;
        // "天香骑行线 · 天香骑行导览": the guide's own name is in the header already.
        var title = p.title || new URL(p.url).pathname;
        if (brand && title.slice(-(brand.length + 3)) === ' · ' + brand) title = title.slice(0, -(brand.length + 3));
        a.textContent = title;
        li.appendChild(a);
        var when = beijingTime(p.saved);
        if (when) {
          var time = document.createElement('span');
          time.className = 'saved-time';
          time.textContent = ' · ' + when;
          li.appendChild(time);
        }
        list.appendChild(li);
      });
      var none = document.querySelector('[data-offline-none]');
      if (none && pages.length) none.hidden = true;
    };
    worker.postMessage({type: 'list', lang: lang}, [channel.port2]);
  }

  function sameOrigin(href) {
    try {
      var u = new URL(href, location.href);
      return u.origin === location.origin ? u : null;
    } catch (e) {
      return null;
    }
  }

  // What this page needs offline, as absolute URLs, each once.
  function wanted() {
    var urls = [], seen = {};
    function add(u) { if (u && !seen[u.href]) { seen[u.href] = true; urls.push(u.href); } }
    var links = document.querySelectorAll('a[href]');
    for (var i = 0; i < links.length; i++) {
      var u = sameOrigin(links[i].getAttribute('href'));
      if (u && FILE_PATH.test(u.pathname)) add(u);
    }
    if (!controlled) {
      add(sameOrigin(location.href));
      // Every asset this page loaded, the ones its style sheets named too (Leaflet's control images), and the images
      // it showed from other hosts: the map tiles of the first view (the worker keeps only its tile hosts').
      var loaded = window.performance && performance.getEntriesByType ? performance.getEntriesByType('resource') : [];
      for (var j = 0; j < loaded.length; j++) {
        var a = sameOrigin(loaded[j].name);
        if (a && a.pathname.indexOf(ASSET_PREFIX) === 0) add(a);
        else if (!a && loaded[j].initiatorType === 'img' && loaded[j].name.indexOf('https:') === 0) {
          add(new URL(loaded[j].name));
        }
      }
    }
    return urls;
  }

  function register() {
    navigator.serviceWorker.register(script.getAttribute('data-sw'), {scope: script.getAttribute('data-scope')})
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var urls = wanted();
        if (registration.active && urls.length) registration.active.postMessage({type: 'save', urls: urls});
      })
      .catch(function () {});  // no worker (private mode, an old browser): the page works as before, online
  }

  showBanner();
  listSaved();
  if (!('serviceWorker' in navigator) || !script.getAttribute('data-sw')) return;
  function later() { setTimeout(register, REGISTER_DELAY_MS); }
  if (document.readyState === 'complete') later(); else window.addEventListener('load', later);
})();
