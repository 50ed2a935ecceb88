/* The small map of the light place page (/r/poi/<id>): the place's pin, and its outline for an area, on the route
 * viewer's basemaps (data from routes/web/poimap.py, in the basemap's frame). Self-hosted Leaflet, no other request
 * than the tiles. Without JavaScript the page still gives the position in figures. */
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function start(box) {
    var script = box.querySelector('script.poi-map-data');
    var holder = box.querySelector('.poi-map');
    if (!script || !holder || !window.L) return;
    var d = JSON.parse(script.textContent);
    var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    // One finger scrolls the page on a phone; the map pans with two, as on the route viewer.
    var map = L.map(holder, {dragging: !coarse, tap: false, scrollWheelZoom: false, zoomControl: false,
                             attributionControl: true});
    map.attributionControl.setPrefix('Leaflet');
    L.control.zoom({zoomInTitle: d.s.zoomIn, zoomOutTitle: d.s.zoomOut}).addTo(map);
    map.setView([d.lat, d.lon], d.zoom);
    var layers = {};
    d.basemaps.forEach(function (b, i) {
      var layer = L.tileLayer(b.url, {subdomains: b.sub, attribution: b.attr, maxZoom: b.maxZoom});
      layers[b.name] = layer;
      if (i === 0) layer.addTo(map);
    });
    if (d.basemaps.length > 1) {
      var ctl = L.control.layers(layers, null, {collapsed: true}).addTo(map);
      var toggle = ctl.getContainer().querySelector('.leaflet-control-layers-toggle');
      if (toggle) { toggle.title = d.s.layers; toggle.setAttribute('aria-label', d.s.layers); }
    }
    var area = {color: d.colour, weight: 2, fillColor: d.colour, fillOpacity: 0.12, interactive: false,
                className: 'poi-extent'};
    var shape = null;
    if (d.rings) shape = L.polygon(d.rings, area).addTo(map);
    else if (d.radius) shape = L.circle([d.lat, d.lon], L.extend({radius: d.radius}, area)).addTo(map);
    if (shape) map.fitBounds(shape.getBounds(), {padding: [16, 16], maxZoom: d.zoom});
    var icon = el('div', 'poi-icon');
    icon.style.background = d.colour;
    icon.appendChild(el('span', '', d.glyph));
    L.marker([d.lat, d.lon], {
      icon: L.divIcon({className: 'poi-marker', html: icon, iconSize: [26, 26], iconAnchor: [13, 26]}),
      keyboard: false, interactive: false
    }).addTo(map);
    map.on('click focus', function () { map.scrollWheelZoom.enable(); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-poi-map]'), start);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
