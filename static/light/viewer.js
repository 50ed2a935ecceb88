/* Map + elevation profile viewer of the Tianxiang Cycling Guide (plain script, no build step).
 *
 * Reads the route from <script type="application/json" class="viewer-data"> inside each [data-viewer] element,
 * draws the map with Leaflet (line coloured by gradient, km markers, start/finish, POIs) and links it with the
 * server-drawn <svg class="elevation-profile">: moving along the profile shows a dot on the map with km, elevation
 * and gradient; tapping the line on the map shows the spot on the profile. Text from the data is only ever set with
 * textContent, never as HTML. Without JavaScript (or Leaflet) the page keeps its text, tables and profile.
 */
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // A warning's stretch shown from the page's list (routes/web/templates/facts_road.html): the same cyan halo as a
  // highlighted stretch, and room around it when the map is fitted to it.
  // It is wider than the slider's highlight: a warning must stand out around the white casing and the gradient line.
  var WARN_COLOUR = '#00e5ff', WARN_WEIGHT_PX = 22, WARN_FIT_PAD_PX = 60, WARN_MAX_ZOOM = 17;
  // Below this map width the gradient legend is a small button (it must never cover a popup on a phone).
  var NARROW_MAP_PX = 480;
  // Keyboard steps along the profile, in metres.
  var KEY_STEP_M = 100, KEY_BIG_STEP_M = 1000;
  // Zoom levels the server merged gradient runs for (routes/graderuns.py VIEWER_ZOOMS).
  var RUN_ZOOM_MIN = 10, RUN_ZOOM_MAX = 17;
  // A touch that moves less than this and lifts within this time is a tap on the line.
  var TAP_SLOP_PX = 10, TAP_MAX_MS = 600;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function undelta(deltas, scale) {
    var out = new Array(deltas.length), v = 0;
    for (var i = 0; i < deltas.length; i++) { v += deltas[i]; out[i] = v / scale; }
    return out;
  }

  // Index of the last xs[i] <= x (xs ascending).
  function bisect(xs, x) {
    var lo = 0, hi = xs.length - 1;
    if (x <= xs[0]) return 0;
    if (x >= xs[hi]) return hi;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] <= x) lo = mid; else hi = mid; }
    return lo;
  }

  function interp(xs, ys, x) {
    var i = bisect(xs, x);
    if (i >= xs.length - 1) return ys[xs.length - 1];
    var span = xs[i + 1] - xs[i];
    var f = span > 0 ? (x - xs[i]) / span : 0;
    return ys[i] + f * (ys[i + 1] - ys[i]);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function Viewer(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector('script.viewer-data').textContent);
    this.svg = root.querySelector('svg.elevation-profile');
    this.readout = root.querySelector('.cursor-readout');
    this.mapEl = root.querySelector('.viewer-map');
    var d = this.data;
    this.lat = undelta(d.lat, d.scale);
    this.lon = undelta(d.lon, d.scale);
    this.prof = {
      d: d.prof.d,
      e: d.prof.e.map(function (v) { return v / 10; }),
      g: d.prof.g.map(function (v) { return v / 10; })
    };
    this.total = this.prof.d.length ? this.prof.d[this.prof.d.length - 1] : 0;
    this.at = null;
    this.setupProfile();
    if (window.L && this.mapEl) this.setupMap();
  }

  Viewer.prototype.text = function (distance) {
    var e = interp(this.prof.d, this.prof.e, distance);
    var g = this.prof.g[Math.min(bisect(this.prof.d, distance), this.prof.g.length - 1)] || 0;
    return fill(this.data.s.cursor, {km: (distance / 1000).toFixed(1), ele: Math.round(e), grade: g.toFixed(1) + ' %'});
  };

  // --- profile ----------------------------------------------------------------------------------------------------

  Viewer.prototype.setupProfile = function () {
    var svg = this.svg, self = this;
    if (!svg) return;
    this.plotTop = parseFloat(svg.getAttribute('data-plot-top'));
    this.plotH = parseFloat(svg.getAttribute('data-plot-height'));
    this.eleFloor = parseFloat(svg.getAttribute('data-ele-floor'));
    this.eleTop = parseFloat(svg.getAttribute('data-ele-top'));
    this.cursorLine = svgEl('line', {'class': 'cursor', y1: this.plotTop, y2: this.plotTop + this.plotH,
                                     x1: '0%', x2: '0%', visibility: 'hidden'});
    this.cursorDot = svgEl('circle', {'class': 'cursor-dot', r: 5, cx: '0%', cy: 0, fill: '#00b8d4', stroke: '#111',
                                      'stroke-width': 1.5, visibility: 'hidden'});
    svg.appendChild(this.cursorLine);
    svg.appendChild(this.cursorDot);
    function at(evt) {
      var box = svg.getBoundingClientRect();
      if (!box.width) return;
      var f = Math.max(0, Math.min(1, (evt.clientX - box.left) / box.width));
      self.show(f * self.total, 'profile');
    }
    svg.addEventListener('pointermove', at);
    svg.addEventListener('pointerdown', at);
    svg.addEventListener('keydown', function (evt) {
      var step = evt.shiftKey ? KEY_BIG_STEP_M : KEY_STEP_M, now = self.at === null ? 0 : self.at;
      var next = {ArrowRight: now + step, ArrowLeft: now - step, Home: 0, End: self.total}[evt.key];
      if (next === undefined) return;
      evt.preventDefault();
      self.show(Math.max(0, Math.min(self.total, next)), 'profile');
    });
  };

  Viewer.prototype.show = function (distance, from) {
    this.at = distance;
    var text = this.text(distance);
    if (this.svg) {
      var x = (100 * distance / Math.max(this.total, 1e-9)).toFixed(2) + '%';
      var e = interp(this.prof.d, this.prof.e, distance);
      var y = this.plotTop + this.plotH * (1 - (e - this.eleFloor) / Math.max(this.eleTop - this.eleFloor, 1e-9));
      this.cursorLine.setAttribute('x1', x);
      this.cursorLine.setAttribute('x2', x);
      this.cursorDot.setAttribute('cx', x);
      this.cursorDot.setAttribute('cy', y.toFixed(1));
      this.cursorLine.setAttribute('visibility', 'visible');
      this.cursorDot.setAttribute('visibility', 'visible');
    }
    if (this.readout) this.readout.textContent = text;
    if (this.map) {
      var ll = [interp(this.data.d, this.lat, distance), interp(this.data.d, this.lon, distance)];
      if (!this.dot) {
        this.dotLabel = el('span', 'route-dot-text');
        this.dot = L.marker(ll, {
          icon: L.divIcon({className: 'route-dot', iconSize: [16, 16], iconAnchor: [8, 8], html: ''}),
          interactive: false, keyboard: false, zIndexOffset: 1000
        }).addTo(this.map);
        this.dot.bindTooltip(this.dotLabel, {permanent: true, direction: 'top', offset: [0, -10],
                                             className: 'route-dot-label'});
      } else {
        this.dot.setLatLng(ll);
      }
      this.dotLabel.textContent = text;
      if (from === 'profile' && !this.map.getBounds().contains(ll)) this.map.panTo(ll);
    }
  };

  // --- map --------------------------------------------------------------------------------------------------------

  Viewer.prototype.setupMap = function () {
    var self = this, d = this.data;
    var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    // On a phone one finger scrolls the page; the map moves with two fingers, or with one after a tap on it.
    var map = L.map(this.mapEl, {dragging: !coarse, tap: false, scrollWheelZoom: false, zoomControl: false, zoomSnap: 0.5,
                                 attributionControl: true});
    this.map = map;
    map.attributionControl.setPrefix('Leaflet');
    // Controls named in the page's language (Leaflet's own titles are English).
    L.control.zoom({zoomInTitle: d.s.zoomIn, zoomOutTitle: d.s.zoomOut}).addTo(map);
    var latlngs = this.lat.map(function (a, i) { return [a, self.lon[i]]; });
    this.latlngs = latlngs;
    // The view first: Leaflet creates layers' elements only once the map has one (aria labels, tap handling).
    map.fitBounds(L.latLngBounds(latlngs), {padding: [16, 16]});
    var layers = {};
    d.basemaps.forEach(function (b, i) {
      var layer = L.tileLayer(b.url, {subdomains: b.sub, attribution: b.attr, maxZoom: b.maxZoom});
      layers[b.name] = layer;
      if (i === 0) layer.addTo(map);
    });
    if (d.basemaps.length > 1) {
      var layerControl = L.control.layers(layers, null, {collapsed: true}).addTo(map);
      var toggle = layerControl.getContainer().querySelector('.leaflet-control-layers-toggle');
      if (toggle) { toggle.title = d.s.layers; toggle.setAttribute('aria-label', d.s.layers); }
    }

    L.polyline(latlngs, {color: '#fff', weight: 9, opacity: 0.9, className: 'route-casing', interactive: false})
      .addTo(map);
    if (d.stretch) {
      var a = bisect(d.d, d.stretch[0]), b = Math.min(bisect(d.d, d.stretch[1]) + 1, latlngs.length - 1);
      L.polyline(latlngs.slice(a, b + 1), {color: '#00e5ff', weight: 14, opacity: 0.6, className: 'stretch-line',
                                            interactive: false}).addTo(map);
    }
    this.runLayer = L.layerGroup().addTo(map);
    // A wide transparent copy on top takes taps and clicks on the line (a 5 px line is hard to hit with a finger).
    var hit = L.polyline(latlngs, {color: '#000', opacity: 0, weight: 24, className: 'route-hit'}).addTo(map);
    hit.on('click', function (evt) {
      L.DomEvent.stopPropagation(evt);
      self.show(self.nearest(evt.latlng), 'map');
    });
    // A finger's tap does not always become a click on an SVG path: take a short, still touch as a tap too.
    var down = null, hitEl = hit.getElement();
    hitEl.addEventListener('pointerdown', function (evt) {
      down = evt.pointerType === 'mouse' ? null : {x: evt.clientX, y: evt.clientY, t: Date.now()};
    });
    hitEl.addEventListener('pointerup', function (evt) {
      if (!down || Math.abs(evt.clientX - down.x) > TAP_SLOP_PX || Math.abs(evt.clientY - down.y) > TAP_SLOP_PX ||
          Date.now() - down.t > TAP_MAX_MS) return;
      down = null;
      self.show(self.nearest(map.mouseEventToLatLng(evt)), 'map');
    });

    function endIcon(kind) {
      return L.divIcon({className: '', html: el('div', 'end-marker ' + kind), iconSize: [20, 20], iconAnchor: [10, 10]});
    }
    L.marker(d.ends[0], {icon: endIcon('start'), title: d.s.start, alt: d.s.start}).addTo(map);
    L.marker(d.ends[1], {icon: endIcon('finish'), title: d.s.finish, alt: d.s.finish}).addTo(map);
    d.km.forEach(function (k) {
      L.marker([k[1], k[2]], {
        icon: L.divIcon({className: '', html: el('div', 'km-marker', String(k[0])), iconSize: [28, 14],
                         iconAnchor: [14, 7]}),
        interactive: false, keyboard: false
      }).addTo(map);
    });
    // Places that are areas: outlines and circles in a pane under the line (overlayPane is 400), not clickable.
    map.createPane('extents').style.zIndex = 350;
    var extentRenderer = L.svg({pane: 'extents'});
    d.pois.forEach(function (p) {
      var area = {color: p.colour, weight: 2, fillColor: p.colour, fillOpacity: 0.12, interactive: false,
                  className: 'poi-extent', pane: 'extents', renderer: extentRenderer};
      if (p.rings) p.rings.forEach(function (r) { L.polygon(r, area).addTo(map); });
      else if (p.radius) L.circle([p.lat, p.lon], L.extend({radius: p.radius}, area)).addTo(map);
      var icon = el('div', 'poi-icon');
      icon.style.background = p.colour;
      icon.appendChild(el('span', '', p.glyph));
      var m = L.marker([p.lat, p.lon], {
        icon: L.divIcon({className: 'poi-marker', html: icon, iconSize: [26, 26], iconAnchor: [13, 26],
                         popupAnchor: [0, -26]}),
        title: p.name, alt: p.name, riseOnHover: true
      }).addTo(map);
      var box = el('div', 'poi-popup');
      var link = el('a', '', p.name);
      link.href = p.url;
      box.appendChild(link);
      box.appendChild(el('div', '', p.cat));
      box.appendChild(el('div', '', fill(d.s.atKm, {km: p.km + ' ' + d.s.kmUnit})));
      m.bindPopup(box, {autoPanPaddingTopLeft: [10, 40], autoPanPaddingBottomRight: [10, 40], maxWidth: 240});
      var node = m.getElement();
      // The name a screen reader says holds the mark's letters too ("Dongjiang Lake public toilet, WC"): a voice
      // control user says what they see, and the mark is what they see. Not in brackets: name matching ignores
      // bracketed words.
      if (node) node.setAttribute('aria-label', p.name + ', ' + p.glyph);
    });
    this.addLegend();
    map.on('zoomend', function () { self.drawRuns(); });
    this.drawRuns();
    if (coarse) this.setupTouch();
    map.on('click focus', function () { map.scrollWheelZoom.enable(); });
  };

  // Highlight warning ``i`` (the viewer data's "warn": [from_m, to_m]) on the map, fit the map to it, put the
  // profile cursor at its start and bring the map into view.
  Viewer.prototype.showWarning = function (i) {
    var w = (this.data.warn || [])[i];
    if (!w || !this.map) return;
    var d = this.data.d, a = bisect(d, w[0]), b = Math.min(bisect(d, w[1]) + 1, this.latlngs.length - 1);
    if (this.warnLine) this.map.removeLayer(this.warnLine);
    this.warnLine = L.polyline(this.latlngs.slice(a, b + 1), {
      color: WARN_COLOUR, weight: WARN_WEIGHT_PX, opacity: 0.85, className: 'warning-line', interactive: false
    });
    this.warnLine.addTo(this.map).bringToBack();
    this.mapEl.setAttribute('data-warn-shown', String(i));
    this.mapEl.scrollIntoView({block: 'start'});
    this.map.fitBounds(this.warnLine.getBounds(), {padding: [WARN_FIT_PAD_PX, WARN_FIT_PAD_PX],
                                                   maxZoom: WARN_MAX_ZOOM});
    this.show(w[0], 'list');
  };

  Viewer.prototype.nearest = function (ll) {
    var best = 0, bestD = Infinity, k = Math.cos(ll.lat * Math.PI / 180);
    for (var i = 0; i < this.lat.length; i++) {
      var dy = this.lat[i] - ll.lat, dx = (this.lon[i] - ll.lng) * k, dd = dx * dx + dy * dy;
      if (dd < bestD) { bestD = dd; best = i; }
    }
    return this.data.d[best];
  };

  // The line in runs of one gradient colour, merged on the server for each zoom so no run is shorter than a few
  // pixels at the zoom shown.
  Viewer.prototype.drawRuns = function () {
    var z = Math.max(RUN_ZOOM_MIN, Math.min(RUN_ZOOM_MAX, Math.round(this.map.getZoom())));
    var runs = this.data.runs[String(z)] || [], colours = this.data.colours, latlngs = this.latlngs;
    this.runLayer.clearLayers();
    for (var i = 0; i < runs.length; i++) {
      var start = runs[i][0], end = i + 1 < runs.length ? runs[i + 1][0] : latlngs.length - 1;
      L.polyline(latlngs.slice(start, end + 1), {color: colours[runs[i][1]], weight: 5, opacity: 0.95,
                                                  className: 'route-line', interactive: false})
        .addTo(this.runLayer);
    }
  };

  Viewer.prototype.addLegend = function () {
    var d = this.data, map = this.map, self = this;
    var ctl = L.control({position: 'bottomleft'});
    ctl.onAdd = function () {
      var box = el('div', 'legend');
      var button = el('button', '', d.s.legendButton);
      button.type = 'button';
      var list = el('ul');
      list.id = 'legend-' + Math.random().toString(36).slice(2);
      button.setAttribute('aria-controls', list.id);
      d.bands.forEach(function (name, i) {
        var li = el('li'), sw = el('span');
        sw.style.background = d.colours[i];
        li.appendChild(sw);
        li.appendChild(document.createTextNode(name));
        list.appendChild(li);
      });
      box.appendChild(button);
      box.appendChild(list);
      function set(collapsed) {
        box.classList.toggle('collapsed', collapsed);
        button.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      }
      button.addEventListener('click', function () { set(!box.classList.contains('collapsed')); });
      set(self.mapEl.clientWidth < NARROW_MAP_PX);
      map.on('popupopen', function () { set(true); });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  };

  Viewer.prototype.setupTouch = function () {
    var map = this.map, mapEl = this.mapEl, d = this.data;
    var hint = el('div', 'map-hint', d.s.activate);
    hint.setAttribute('aria-hidden', 'true');
    var done = el('button', 'map-done', d.s.done);
    done.type = 'button';
    mapEl.appendChild(hint);
    mapEl.appendChild(done);
    var timer = null;
    mapEl.addEventListener('touchmove', function (evt) {
      if (map.dragging.enabled() || evt.touches.length !== 1) return;
      hint.textContent = d.s.twoFingers + ' · ' + d.s.activate;
      hint.classList.add('show');
      clearTimeout(timer);
      timer = setTimeout(function () { hint.classList.remove('show'); }, 1200);
    }, {passive: true});
    map.on('click', function () {
      if (map.dragging.enabled()) return;
      map.dragging.enable();
      mapEl.classList.add('map-active');
    });
    L.DomEvent.disableClickPropagation(done);
    done.addEventListener('click', function () {
      map.dragging.disable();
      mapEl.classList.remove('map-active');
    });
  };

  function start() {
    var roots = document.querySelectorAll('[data-viewer]');
    for (var i = 0; i < roots.length; i++) {
      try { roots[i].viewer = new Viewer(roots[i]); } catch (err) { if (window.console) console.error(err); }
    }
    // The warnings list's "show on the map" buttons, and the warning markers on the profile, drive the page's map.
    var viewer = roots.length && roots[0].viewer;
    if (!viewer || !viewer.map) return;
    var buttons = document.querySelectorAll('button.warn-show[data-warn]');
    for (var j = 0; j < buttons.length; j++) buttons[j].hidden = false;
    document.addEventListener('click', function (evt) {
      var target = evt.target && evt.target.closest ? evt.target.closest('button.warn-show, .warning-mark') : null;
      if (!target) return;
      var item = document.querySelectorAll('.warn-list li');
      var n = parseInt(target.getAttribute('data-warn'), 10);
      for (var k = 0; k < item.length; k++) item[k].classList.toggle('active', k === n);
      viewer.showWarning(n);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
