/* Follow me on the light route page (plain script, no build step; loaded with defer after viewer.js).
 *
 * A tap on #ride-start watches the phone's position (navigator.geolocation.watchPosition; nothing is asked before
 * the tap) and shows it on the map (a dot and its accuracy circle, in the basemap's frame: GCJ-02 on the Chinese
 * pages) and on the profile, with the panel #ride-position: km ridden along the route and to go, time to go at the
 * chosen rider profile, the next climb, the next place of each kind a rider needs, and how far off the line the
 * rider is, with a dashed line back to it. The position is only ever used here: no request carries it. Following
 * pauses while the page is hidden and resumes when it is shown again. Text is set with textContent only.
 */
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // Krasovsky 1940 ellipsoid and China's bounding box of the published GCJ-02 transform (routes/io/chinacoords.py).
  var KRASOVSKY_A_M = 6378245.0, KRASOVSKY_E2 = 0.00669342162296594323;
  var CHINA_LON = [72.004, 137.8347], CHINA_LAT = [0.8293, 55.8271];
  // Metres per degree of latitude: positions are compared in a flat frame around the fix (errors < 0.1 % over km).
  var M_PER_DEG = 111320;
  // Passages of the line whose distance to the fix is within this of the nearest one are candidates for the match:
  // two passages of the same road lie a few metres apart, GPS noise is ≈ 10 m.
  var CANDIDATE_SLACK_M = 40;
  // A fix may fall this far behind the last matched point (GPS noise, the simplified line) and still be "ahead".
  var BACK_TOLERANCE_M = 60;
  // How far ahead of the last match the next one may plausibly be: this much, plus MAX_SPEED_MPS for every second
  // since the last fix (a fast descent is 70 km/h; after a pause the window grows with the time away).
  var MIN_WINDOW_M = 500, MAX_SPEED_MPS = 20;
  // Farther off the line than this, the match only shows: the last matched point stays (a detour is not progress).
  var MATCH_MAX_OFF_M = 150;
  // Closer to the line than this counts as on it (GPS accuracy on a phone): no dashed line back.
  var ON_ROUTE_M = 30;
  // A place stays "next" until the rider is this far past it (GPS noise at the spot itself).
  var PASSED_M = 30;
  // The map zooms to at least this on the first fix: streets and the line around the rider.
  var FOLLOW_ZOOM = 15;
  // A fix older than 5 s is stale for a moving bike; a first fix may take a while outdoors.
  var GEO_OPTIONS = {enableHighAccuracy: true, maximumAge: 5000, timeout: 60000};

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function undelta(deltas) {
    var out = new Array(deltas.length), v = 0;
    for (var i = 0; i < deltas.length; i++) { v += deltas[i]; out[i] = v; }
    return out;
  }

  function interp(xs, ys, x) {
    var n = xs.length;
    if (!n) return NaN;
    if (x <= xs[0]) return ys[0];
    if (x >= xs[n - 1]) return ys[n - 1];
    var lo = 0, hi = n - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] <= x) lo = mid; else hi = mid; }
    var span = xs[hi] - xs[lo];
    return ys[lo] + (span > 0 ? (x - xs[lo]) / span : 0) * (ys[hi] - ys[lo]);
  }

  // --- WGS-84 → GCJ-02: routes/io/chinacoords.py's formula, term for term ---------------------------------------

  function wgs84ToGcj02(lat, lon) {
    if (lon < CHINA_LON[0] || lon > CHINA_LON[1] || lat < CHINA_LAT[0] || lat > CHINA_LAT[1]) return [lat, lon];
    var pi = Math.PI, x = lon - 105.0, y = lat - 35.0, sq = Math.sqrt(Math.abs(x));
    var wave = (20.0 * Math.sin(6.0 * x * pi) + 20.0 * Math.sin(2.0 * x * pi)) * 2.0 / 3.0;
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sq;
    dlat += wave;
    dlat += (20.0 * Math.sin(y * pi) + 40.0 * Math.sin(y / 3.0 * pi)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * pi) + 320.0 * Math.sin(y * pi / 30.0)) * 2.0 / 3.0;
    var dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sq;
    dlon += wave;
    dlon += (20.0 * Math.sin(x * pi) + 40.0 * Math.sin(x / 3.0 * pi)) * 2.0 / 3.0;
    dlon += (150.0 * Math.sin(x / 12.0 * pi) + 300.0 * Math.sin(x / 30.0 * pi)) * 2.0 / 3.0;
    var rad = lat * pi / 180.0, s = Math.sin(rad), w = 1.0 - KRASOVSKY_E2 * s * s, sw = Math.sqrt(w);
    dlat = dlat * 180.0 / ((KRASOVSKY_A_M * (1.0 - KRASOVSKY_E2)) / (w * sw) * pi);
    dlon = dlon * 180.0 / (KRASOVSKY_A_M / sw * Math.cos(rad) * pi);
    return [lat + dlat, lon + dlon];
  }

  // --- matching a fix to the line ---------------------------------------------------------------------------------

  /* The line (lat, lon in the page's frame; d metres along it at each vertex) and the last matched distance. */
  function Matcher(lat, lon, d) {
    this.lat = lat; this.lon = lon; this.d = d;
    this.last = null; this.lastT = null;
  }

  /* Every passage of the line near (lat, lon), in order along the line, each as its point nearest to the fix
   * ({dist, along, lat, lon}); and the nearest point of all. */
  Matcher.prototype.passages = function (lat, lon) {
    var lats = this.lat, lons = this.lon, k = Math.cos(lat * Math.PI / 180) * M_PER_DEG, n = lats.length;
    var segs = [], best = null;
    function point(i) { return [(lons[i] - lon) * k, (lats[i] - lat) * M_PER_DEG]; }
    if (n === 1) {
      var p0 = point(0);
      best = {dist: Math.hypot(p0[0], p0[1]), along: this.d[0], lat: lats[0], lon: lons[0]};
      return {nearest: best, cands: [best]};
    }
    var a = point(0);
    for (var i = 0; i < n - 1; i++) {
      var b = point(i + 1), ex = b[0] - a[0], ey = b[1] - a[1], len2 = ex * ex + ey * ey;
      var f = len2 > 0 ? Math.max(0, Math.min(1, -(a[0] * ex + a[1] * ey) / len2)) : 0;
      var px = a[0] + f * ex, py = a[1] + f * ey;
      var s = {dist: Math.hypot(px, py), along: this.d[i] + f * (this.d[i + 1] - this.d[i]),
               lat: lats[i] + f * (lats[i + 1] - lats[i]), lon: lons[i] + f * (lons[i + 1] - lons[i])};
      segs[i] = s;
      if (!best || s.dist < best.dist) best = s;
      a = b;
    }
    // The segments near the fix, grouped into passages: their nearest points all lie in the disk of radius `limit`
    // around the fix, so two of one passage are at most its diameter apart along the line; farther apart, the line
    // left the disk between them (a road ridden out and back, a second lap), however long its segments are.
    var limit = best.dist + CANDIDATE_SLACK_M, cands = [], run = null, end = 0;
    for (var j = 0; j < segs.length; j++) {
      if (segs[j].dist > limit) continue;
      if (run && segs[j].along - end > 2 * limit) { cands.push(run); run = null; }
      if (!run || segs[j].dist < run.dist) run = segs[j];
      end = segs[j].along;
    }
    cands.push(run);
    return {nearest: best, cands: cands};
  };

  /* The matched distance along the line for a fix at time t (ms): on the first fix the earliest passage; then the
   * first passage ahead of the last match within a plausible window (so a loop's start is not its finish, and the
   * second lap of a road ridden twice is the second passage), else the passage closest along the line to the last
   * one. Returns {along, off, nearest}. */
  Matcher.prototype.match = function (lat, lon, t) {
    var found = this.passages(lat, lon), cands = found.cands, chosen = null, i;
    if (this.last === null) {
      chosen = cands[0];
    } else {
      var elapsed = this.lastT !== null && t > this.lastT ? (t - this.lastT) / 1000 : 0;
      var lo = this.last - BACK_TOLERANCE_M, hi = this.last + MIN_WINDOW_M + MAX_SPEED_MPS * elapsed;
      for (i = 0; i < cands.length && !chosen; i++) if (cands[i].along >= lo && cands[i].along <= hi) chosen = cands[i];
      if (!chosen) {
        for (i = 0; i < cands.length; i++) {
          if (!chosen || Math.abs(cands[i].along - this.last) < Math.abs(chosen.along - this.last)) chosen = cands[i];
        }
      }
    }
    var along = chosen.along;
    // Never a step back for GPS noise: a fix just behind the last match keeps the last match.
    if (this.last !== null && along < this.last && along >= this.last - BACK_TOLERANCE_M) along = this.last;
    if (found.nearest.dist <= MATCH_MAX_OFF_M) { this.last = along; this.lastT = t; }
    return {along: along, off: found.nearest.dist, nearest: found.nearest};
  };

  // --- the panel, the map and the profile -------------------------------------------------------------------------

  function Ride(box, viewer) {
    var d = viewer.data, r = d.ride, self = this;
    this.box = box; this.viewer = viewer; this.d = d; this.r = r; this.s = d.s;
    this.button = box.querySelector('#ride-start');
    this.panel = box.querySelector('#ride-position');
    this.status = box.querySelector('.ride-status');
    this.select = box.querySelector('#ride-rider');
    this.matcher = new Matcher(viewer.lat, viewer.lon, d.d);
    this.total = d.d.length ? d.d[d.d.length - 1] : 0;
    this.times = r.t.map(undelta);
    this.timeAt = this.times.length ? this.times[0].map(function (v, i, all) {
      return i === all.length - 1 ? r.end : i * r.step;
    }) : [];
    this.watch = null; this.on = false; this.fix = null;
    this.fields = {};
    Array.prototype.forEach.call(box.querySelectorAll('[data-f]'), function (e) { self.fields[e.getAttribute('data-f')] = e; });
    r.riders.forEach(function (name, i) {
      var o = document.createElement('option');
      o.value = String(i);
      o.textContent = name;
      self.select.appendChild(o);
    });
    this.select.addEventListener('change', function () { if (self.fix) self.update(); });
    // One row per kind of place, before the "off the route" row.
    var offRow = box.querySelector('.ride-off');
    r.kinds.forEach(function (kind) {
      var row = document.createElement('div'), dt = document.createElement('dt'), dd = document.createElement('dd');
      row.className = 'wide';
      dt.textContent = kind[1];
      dd.textContent = '–';
      row.appendChild(dt);
      row.appendChild(dd);
      offRow.parentNode.insertBefore(row, offRow);
      self.fields['poi-' + kind[0]] = dd;
    });
    this.button.addEventListener('click', function () { if (self.on) self.stop(); else self.start(); });
    document.addEventListener('visibilitychange', function () {
      if (!self.on) return;
      if (document.visibilityState === 'hidden') self.unwatch(); else self.rewatch();
    });
    box.hidden = false;
  }

  Ride.prototype.start = function () {
    this.on = true;
    this.button.textContent = this.s.rideStop;
    this.button.setAttribute('aria-pressed', 'true');
    this.panel.hidden = false;
    this.status.textContent = this.s.rideWaiting;
    // No figure from an earlier ride stays up while the first fix of this one is awaited.
    this.fix = null;
    ['data-km', 'data-km-to-go', 'data-off-route-m'].forEach(function (a) { this.panel.removeAttribute(a); }, this);
    for (var k in this.fields) this.fields[k].textContent = '–';
    this.rewatch();
  };

  Ride.prototype.stop = function () {
    this.on = false;
    this.unwatch();
    this.button.textContent = this.s.rideStart;
    this.button.setAttribute('aria-pressed', 'false');
    this.panel.hidden = true;
    var map = this.viewer.map;
    if (map) ['dot', 'ring', 'back'].forEach(function (k) { if (this[k]) { map.removeLayer(this[k]); this[k] = null; } }, this);
    if (this.profLine) { this.profLine.setAttribute('visibility', 'hidden'); this.profDot.setAttribute('visibility', 'hidden'); }
  };

  Ride.prototype.rewatch = function () {
    var self = this;
    if (this.watch !== null) return;
    this.watch = navigator.geolocation.watchPosition(function (pos) { self.onFix(pos); }, function (err) {
      self.status.textContent = err && err.code === 1 ? self.s.rideDenied : self.s.rideNoFix;
    }, GEO_OPTIONS);
  };

  Ride.prototype.unwatch = function () {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
  };

  Ride.prototype.onFix = function (pos) {
    if (!this.on) return;
    var c = pos.coords, ll = this.r.gcj ? wgs84ToGcj02(c.latitude, c.longitude) : [c.latitude, c.longitude];
    var m = this.matcher.match(ll[0], ll[1], pos.timestamp || Date.now());
    this.fix = {ll: ll, accuracy: c.accuracy, m: m};
    this.update();
  };

  // Numbers and units joined by a no-break space: a figure never wraps away from its unit.
  var NBSP = '\u00a0';

  Ride.prototype.km = function (m) { return (m / 1000).toFixed(1) + NBSP + this.s.kmUnit; };

  Ride.prototype.dist = function (m) { return m < 1000 ? Math.round(m) + NBSP + this.s.mUnit : this.km(m); };

  Ride.prototype.pct = function (tenths) { return (tenths / 10).toFixed(1) + NBSP + '%'; };

  Ride.prototype.duration = function (sec) {
    var minutes = Math.max(0, Math.round(sec / 60)), h = Math.floor(minutes / 60), mm = minutes % 60;
    return h ? fill(this.s.durH, {h: h, mm: (mm < 10 ? '0' : '') + mm}) : fill(this.s.durM, {m: mm});
  };

  Ride.prototype.update = function () {
    var f = this.fix, m = f.m, s = this.s, along = m.along, toGo = Math.max(0, this.total - along), self = this;
    var p = this.panel;
    p.setAttribute('data-km', (along / 1000).toFixed(3));
    p.setAttribute('data-km-to-go', (toGo / 1000).toFixed(3));
    p.setAttribute('data-off-route-m', String(Math.round(m.off)));
    this.status.textContent = isFinite(f.accuracy) ? fill(s.rideAccuracy, {dist: this.dist(f.accuracy)}) : '';
    this.fields.km.textContent = this.km(along);
    this.fields.togo.textContent = this.km(toGo);
    var times = this.times[Number(this.select.value) || 0];
    this.fields.time.textContent = times ?
      this.duration(times[times.length - 1] - interp(this.timeAt, times, along)) : '–';
    var climb = null;
    this.r.climbs.forEach(function (c) { if (!climb && c[0] + c[1] > along) climb = c; });
    this.fields.climb.textContent = !climb ? s.rideNone : climb[0] > along ?
      fill(s.rideClimbAhead, {dist: this.dist(climb[0] - along), len: this.km(climb[1]), grade: this.pct(climb[2])}) :
      fill(s.rideClimbOn, {dist: this.dist(climb[0] + climb[1] - along), grade: this.pct(climb[2])});
    this.r.kinds.forEach(function (kind) {
      var next = null;
      self.r.next.forEach(function (n) {
        if (!next && self.d.pois[n[0]].k === kind[0] && n[1] > along - PASSED_M) next = n;
      });
      self.fields['poi-' + kind[0]].textContent = next ?
        fill(s.rideAhead, {name: self.d.pois[next[0]].name, dist: self.dist(Math.max(0, next[1] - along))}) : s.rideNone;
    });
    var off = m.off >= ON_ROUTE_M;
    this.fields.off.textContent = off ?
      fill(s.rideOff, {dist: this.dist(m.off), dir: this.direction(f.ll, [m.nearest.lat, m.nearest.lon])}) : s.rideOnRoute;
    this.drawMap(f, m, off);
    this.drawProfile(along);
  };

  // The compass point from a to b (8 of them, in the page's language).
  Ride.prototype.direction = function (a, b) {
    var dx = (b[1] - a[1]) * Math.cos(a[0] * Math.PI / 180), dy = b[0] - a[0];
    var deg = (Math.atan2(dx, dy) * 180 / Math.PI + 360) % 360;
    return this.s.rideDirs.split(' ')[Math.round(deg / 45) % 8];
  };

  Ride.prototype.drawMap = function (f, m, off) {
    var map = this.viewer.map;
    if (!map || !window.L) return;
    var first = !this.dot;
    if (first) {
      if (!map.getPane('ride')) {
        // Above the markers (600) and below tooltips (650): a rider at a km marker or a place is not hidden by it.
        map.createPane('ride').style.zIndex = 640;
        this.renderer = L.svg({pane: 'ride'});
      }
      var own = {interactive: false, pane: 'ride', renderer: this.renderer};
      this.ring = L.circle(f.ll, L.extend({radius: f.accuracy || 0, color: '#1a5fb4', weight: 1, fillColor: '#1a5fb4',
                                           fillOpacity: 0.12, className: 'ride-accuracy'}, own)).addTo(map);
      this.dot = L.circleMarker(f.ll, L.extend({radius: 8, color: '#fff', weight: 3, fillColor: '#1a5fb4',
                                                fillOpacity: 1, className: 'ride-dot'}, own)).addTo(map);
    } else {
      this.ring.setLatLng(f.ll).setRadius(f.accuracy || 0);
      this.dot.setLatLng(f.ll);
    }
    var back = [f.ll, [m.nearest.lat, m.nearest.lon]];
    if (off && !this.back) {
      this.back = L.polyline(back, {color: '#1a5fb4', weight: 3, dashArray: '6 8', interactive: false,
                                    className: 'ride-back', pane: 'ride', renderer: this.renderer}).addTo(map);
    } else if (off) {
      this.back.setLatLngs(back);
    } else if (this.back) {
      map.removeLayer(this.back);
      this.back = null;
    }
    this.dot.bringToFront();
    if (first) map.setView(f.ll, Math.max(map.getZoom(), FOLLOW_ZOOM));
    else if (!map.getBounds().pad(-0.2).contains(f.ll)) map.panTo(f.ll);
  };

  // The rider's place on the profile: a line and a dot of their own (the cursor stays the visitor's to move).
  Ride.prototype.drawProfile = function (along) {
    var v = this.viewer, svg = v.svg;
    if (!svg || !isFinite(v.plotTop)) return;
    if (!this.profLine) {
      this.profLine = document.createElementNS(SVG_NS, 'line');
      this.profLine.setAttribute('class', 'ride-cursor');
      this.profLine.setAttribute('y1', v.plotTop);
      this.profLine.setAttribute('y2', v.plotTop + v.plotH);
      this.profDot = document.createElementNS(SVG_NS, 'circle');
      this.profDot.setAttribute('class', 'ride-cursor-dot');
      this.profDot.setAttribute('r', 6);
      svg.appendChild(this.profLine);
      svg.appendChild(this.profDot);
    }
    var x = (100 * along / Math.max(v.total, 1e-9)).toFixed(2) + '%';
    var e = interp(v.prof.d, v.prof.e, along);
    var y = v.plotTop + v.plotH * (1 - (e - v.eleFloor) / Math.max(v.eleTop - v.eleFloor, 1e-9));
    this.profLine.setAttribute('x1', x);
    this.profLine.setAttribute('x2', x);
    this.profDot.setAttribute('cx', x);
    this.profDot.setAttribute('cy', y.toFixed(1));
    this.profLine.setAttribute('visibility', 'visible');
    this.profDot.setAttribute('visibility', 'visible');
  };

  window.TianxiangRide = {wgs84ToGcj02: wgs84ToGcj02, Matcher: Matcher};

  function start() {
    var box = document.querySelector('.ride'), root = document.querySelector('[data-viewer]');
    if (!box || !root || !root.viewer || !root.viewer.data.ride || !('geolocation' in navigator)) return;
    try { box.ride = new Ride(box, root.viewer); } catch (err) { if (window.console) console.error(err); }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
