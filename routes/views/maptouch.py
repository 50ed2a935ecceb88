"""Maps that behave on a phone and for keyboard and screen-reader users: one finger scrolls the page, two fingers
move the map; the legend folds away on narrow maps; popups are never covered by controls; every control and marker
has a name in the page's language (folium element, inline script only; no Streamlit)."""

from __future__ import annotations

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from routes.text.i18n import t

#: Where Streamlit serves static/ (same prefix as routes.views.maps; repeated to keep this module free of maps' imports).
_STATIC = "/app/static/"
#: A map narrower than this (CSS px) starts with its legend folded to a button: on a 390 px phone the open legend
#: covered about a third of the map.
LEGEND_FOLD_BELOW_PX = 520
#: How long the "use two fingers" hint stays up (ms).
GESTURE_HINT_MS = 1500


class MapUx(JSCSSMixin, MacroElement):
    """Add last to a folium.Map (after its controls and legend exist)."""

    default_js = [("leaflet_gesture_handling_js", _STATIC + "leaflet-gesture-handling/leaflet-gesture-handling.min.js")]
    default_css = [
        ("leaflet_gesture_handling_css", _STATIC + "leaflet-gesture-handling/leaflet-gesture-handling.min.css")
    ]

    _template = Template(
        """{% macro header(this, kwargs) %}
<style>
  .guide-under-popup { visibility: hidden; }
  .guide-legend-toggle { font: 600 12px/1.4 sans-serif; color: #222; background: #fff; border: 1px solid #777;
    border-radius: 4px; padding: 3px 8px; cursor: pointer; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .guide-legend-toggle[aria-expanded="true"] { margin-bottom: 2px; }
  .leaflet-container .leaflet-control-attribution, .leaflet-container .leaflet-control-attribution a { color: #222; }
  .leaflet-container .leaflet-control-attribution a { text-decoration: underline; }
  .leaflet-container:focus-visible { outline: 3px solid #c0392b; outline-offset: -3px; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var s = {{ this.strings|tojson }};
  var box = map.getContainer();
  map.options.gestureHandlingOptions = {
    text: {touch: s.touch, scroll: s.scroll, scrollMac: s.scrollMac}, duration: {{ this.hint_ms }}
  };
  if (map.gestureHandling) { map.gestureHandling.enable(); }
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', s.region);
  function name(el, text) { if (el && text) { el.setAttribute('title', text); el.setAttribute('aria-label', text); } }
  function plain(html) { var tmp = document.createElement('div'); tmp.innerHTML = html; return tmp.textContent; }
  function nameMarker(layer) {
    if (!(layer instanceof L.Marker) || !layer._icon) { return; }
    var tip = layer.getTooltip && layer.getTooltip();
    var text = tip && typeof tip.getContent() === 'string' ? plain(tip.getContent()) : '';
    if (!text) { return; }
    layer._icon.setAttribute('aria-label', text);
    if (layer._icon.tagName === 'IMG') { layer._icon.alt = text; }
  }
  map.on('layeradd', function(e) { nameMarker(e.layer); });
  map.eachLayer(nameMarker);
  name(box.querySelector('.leaflet-control-zoom-in'), s.zoomIn);
  name(box.querySelector('.leaflet-control-zoom-out'), s.zoomOut);
  name(box.querySelector('.leaflet-control-layers-toggle'), s.layers);

  // Controls sit above the whole map pane (popups included), so a control that would cover an open popup is hidden
  // until the popup closes.
  function uncover(popup) {
    var el = popup && popup.getElement && popup.getElement();
    if (!el || !map.hasLayer(popup)) { return; }  // a late call after the popup closed must not hide anything
    var r = el.getBoundingClientRect();
    box.querySelectorAll('.leaflet-control').forEach(function(c) {
      if (c.classList.contains('leaflet-control-attribution')) { return; }
      var q = c.getBoundingClientRect();
      var hit = !(q.right < r.left || q.left > r.right || q.bottom < r.top || q.top > r.bottom);
      c.classList.toggle('guide-under-popup', hit);
    });
  }
  map.on('popupopen', function(e) {
    name(e.popup._closeButton, s.close);
    uncover(e.popup);
    setTimeout(function() { uncover(e.popup); }, 350);  // again after the auto-pan has moved it
  });
  map.on('moveend', function() { if (map._popup && map.hasLayer(map._popup)) { uncover(map._popup); } });
  map.on('popupclose', function() {
    box.querySelectorAll('.guide-under-popup').forEach(function(c) { c.classList.remove('guide-under-popup'); });
  });

  var legend = box.querySelector('.guide-legend');
  if (legend && legend.firstElementChild) {
    var body = legend.firstElementChild;
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'guide-legend-toggle';
    btn.textContent = body.getAttribute('data-toggle') || s.legend;  // "map key" when it lists places only
    legend.insertBefore(btn, body);
    var set = function(open) {
      body.style.display = open ? '' : 'none';
      btn.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    btn.addEventListener('click', function() { set(body.style.display === 'none'); });
    set(box.clientWidth >= {{ this.fold_px }});
  }
})();
{% endmacro %}"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MapUx"
        self.hint_ms = GESTURE_HINT_MS
        self.fold_px = LEGEND_FOLD_BELOW_PX
        self.strings = {
            "touch": t("map.gesture.touch", lang),
            "scroll": t("map.gesture.scroll", lang),
            "scrollMac": t("map.gesture.scroll_mac", lang),
            "region": t("map.region", lang),
            "zoomIn": t("map.zoom_in", lang),
            "zoomOut": t("map.zoom_out", lang),
            "layers": t("map.layers", lang),
            "close": t("map.popup_close", lang),
            "legend": t("map.legend_toggle", lang),
        }
