// Livewire live page: alerts over server-sent events, filters, a timeline per claim key and a map.
// Plain browser JavaScript with no libraries and nothing fetched from outside this server.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const FIELDS = ['place', 'metric', 'type', 'severity'];
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 };
const alerts = new Map(); // alert_id -> alert, as the server sent it
let arrivals = 0;
let land = null; // [[[lon, lat], ...], ...] once static/land.json has loaded
let renderQueued = false;
const fresh = new Set();

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function svg(tag, attrs, ...children) { return el('svg:' + tag, attrs, ...children); }

function fieldOf(alert, field) {
  if (field === 'place') return alert.claim.place || '(no place)';
  if (field === 'metric') return alert.claim.metric;
  return alert[field];
}

function when(alert) {
  const stamp = alert.post.published_at || alert.post.ingested_at;
  return stamp ? Date.parse(stamp) : alert.received_ms;
}

function clock(ms) {
  const d = new Date(ms);
  return d.toISOString().slice(11, 16) + ' UTC';
}

function number(value) {
  return Number(value).toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

const QUALIFIER = { approx: '~', at_least: '≥', at_most: '≤', exact: '' };
const UNIT = { area_km2: ' km²', depth_km: ' km', front_km: ' km', distance_km: ' km', money_usd: ' USD' };

function figure(claim) {
  return (QUALIFIER[claim.qualifier] || '') + number(claim.value) + (UNIT[claim.metric] || '');
}

function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function postLabel(post) {
  return post.feed_id + '/' + post.post_id + '#' + post.revision;
}

function sourceText(claim) {
  if (!claim.source) return 'unattributed';
  return claim.source + (claim.source_role ? ' (' + claim.source_role + ')' : '');
}

// --- state -------------------------------------------------------------------------------------

function add(alert) {
  if (alerts.has(alert.alert_id)) return; // a re-sent alert keeps its id: show it once
  alert.arrival = arrivals++;
  alerts.set(alert.alert_id, alert);
  fresh.add(alert.alert_id);
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(render);
  }
}

function filters() {
  const chosen = {};
  for (const field of FIELDS) chosen[field] = $('filter-' + field).value;
  return chosen;
}

function visible() {
  const chosen = filters();
  const list = [...alerts.values()].filter((a) => FIELDS.every((f) => !chosen[f] || fieldOf(a, f) === chosen[f]));
  // Newest first: by when the post was published (or ingested), then by arrival.
  return list.sort((a, b) => when(b) - when(a) || b.arrival - a.arrival);
}

// --- rendering ---------------------------------------------------------------------------------

function render() {
  renderQueued = false;
  renderFilterOptions();
  const shown = visible();
  renderAlerts(shown);
  renderTimelines(shown);
  renderMap(shown);
  $('count').textContent = shown.length + ' of ' + alerts.size + ' alerts';
  fresh.clear();
}

function renderFilterOptions() {
  for (const field of FIELDS) {
    const select = $('filter-' + field);
    const known = new Set([...select.options].map((o) => o.value));
    const values = new Set([...alerts.values()].map((a) => fieldOf(a, field)));
    const sorted = [...values].filter((v) => !known.has(v));
    sorted.sort((a, b) => (field === 'severity' ? SEVERITY_ORDER[a] - SEVERITY_ORDER[b] : String(a).localeCompare(b)));
    for (const value of sorted) select.append(el('option', { value }, String(value).replaceAll('_', ' ')));
  }
}

function renderAlerts(shown) {
  const list = $('alerts');
  list.replaceChildren(...shown.map(alertItem));
  $('empty').hidden = alerts.size > 0;
}

function alertItem(alert) {
  const claim = alert.claim;
  const url = safeUrl(alert.post.url);
  const link = url
    ? el('a', { class: 'source-link', href: url, target: '_blank', rel: 'noopener', title: postLabel(alert.post) }, 'source post')
    : el('span', { class: 'source-ref' }, 'post ' + postLabel(alert.post));
  const facts = [claim.metric.replaceAll('_', ' ') + ': ' + figure(claim)];
  if (alert.previous) facts.push('previously ' + figure(alert.previous) + ' per ' + sourceText(alert.previous));
  facts.push('source: ' + sourceText(claim));
  return el(
    'li',
    {
      class: 'alert sev-' + alert.severity + (fresh.has(alert.alert_id) ? ' fresh' : ''),
      'data-alert-id': alert.alert_id,
      'data-type': alert.type,
      'data-severity': alert.severity,
      'data-metric': claim.metric,
      'data-place': fieldOf(alert, 'place'),
      'data-claim-key': alert.claim_key,
    },
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'badge' }, alert.severity),
      el('span', { class: 'type' }, alert.type.replaceAll('_', ' ')),
      el('time', { datetime: new Date(when(alert)).toISOString() }, clock(when(alert))),
      el('span', { class: 'place' }, fieldOf(alert, 'place')),
    ),
    el('div', { class: 'headline' }, alert.headline),
    el('div', { class: 'facts' }, facts.join(' · ') + ' · ', link),
  );
}

// One chart per claim key: every figure the alerts reported, oldest left, with its source on hover.
function renderTimelines(shown) {
  const byKey = new Map();
  for (const alert of [...shown].reverse()) {
    if (!byKey.has(alert.claim_key)) byKey.set(alert.claim_key, []);
    byKey.get(alert.claim_key).push(alert);
  }
  const charts = [...byKey.entries()]
    .sort((a, b) => b[1].length - a[1].length || when(b[1][b[1].length - 1]) - when(a[1][a[1].length - 1]))
    .map(([key, items]) => timeline(key, items));
  $('timelines').replaceChildren(...charts);
}

function timelinePoints(items) {
  const points = items.map((a) => ({
    value: a.claim.value,
    claim: a.claim,
    label: clock(when(a)),
    type: a.type,
    post: a.post,
  }));
  const first = items[0];
  if (first.previous) {
    // The figure this key stood at before the first alert we saw.
    points.unshift({ value: first.previous.value, claim: first.previous, label: 'before', type: 'previous', post: null });
  }
  return points;
}

function timeline(key, items) {
  const points = timelinePoints(items);
  const claim = items[items.length - 1].claim;
  const title = [claim.metric.replaceAll('_', ' '), claim.actor, claim.place].filter(Boolean).join(' · ');
  const width = 360;
  const height = 110;
  const left = 44;
  const right = 40;
  const top = 14;
  const bottom = 22;
  const values = points.map((p) => p.value);
  const low = Math.min(0, ...values);
  const high = niceCeil(Math.max(...values) * 1.1);
  const x = (i) => (points.length === 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (points.length - 1));
  const y = (v) => top + (height - top - bottom) * (1 - (v - low) / (high - low));
  const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': title });
  chart.append(
    svg('line', { class: 'axis', x1: left, y1: y(low), x2: width - right, y2: y(low) }),
    svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: y(low) }),
    svg('text', { class: 'label', x: left - 4, y: y(low) + 3, 'text-anchor': 'end' }, number(low)),
    svg('text', { class: 'label', x: left - 4, y: top + 3, 'text-anchor': 'end' }, number(high)),
  );
  if (points.length > 1) {
    chart.append(svg('polyline', { class: 'line', points: points.map((p, i) => x(i) + ',' + y(p.value)).join(' ') }));
  }
  points.forEach((p, i) => {
    const hover = figure(p.claim) + ' — ' + sourceText(p.claim) + (p.post ? ', post ' + postLabel(p.post) : '');
    const dot = svg('circle', { class: 'point ' + p.type, cx: x(i), cy: y(p.value), r: 5, 'data-value': p.value, 'data-source': sourceText(p.claim) });
    dot.append(svg('title', {}, hover));
    dot.addEventListener('mouseenter', (event) => showTooltip(event, hover));
    dot.addEventListener('mousemove', (event) => showTooltip(event, hover));
    dot.addEventListener('mouseleave', hideTooltip);
    chart.append(
      dot,
      svg('text', { class: 'value-label', x: x(i), y: y(p.value) - 8, 'text-anchor': 'middle' }, figure(p.claim)),
      svg('text', { class: 'label', x: x(i), y: height - 6, 'text-anchor': 'middle' }, p.label),
    );
  });
  return el('figure', { class: 'timeline', 'data-claim-key': key, 'data-points': points.length }, el('figcaption', {}, title), chart);
}

function showTooltip(event, text) {
  const tip = $('tooltip');
  tip.textContent = text;
  tip.hidden = false;
  // Kept inside the window: the charts sit at its right edge.
  tip.style.left = Math.max(4, Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 8)) + 'px';
  tip.style.top = Math.max(4, Math.min(event.clientY + 12, window.innerHeight - tip.offsetHeight - 8)) + 'px';
}

function hideTooltip() { $('tooltip').hidden = true; }

// Equirectangular map of the places in the shown alerts, framed around them.
function renderMap(shown) {
  const places = new Map();
  for (const alert of shown) {
    if (!alert.where) continue;
    const name = fieldOf(alert, 'place');
    const place = places.get(name) || { name, lat: alert.where.lat, lon: alert.where.lon, count: 0, severity: 'low' };
    place.count += 1;
    if (SEVERITY_ORDER[alert.severity] < SEVERITY_ORDER[place.severity]) place.severity = alert.severity;
    places.set(name, place);
  }
  const width = 360;
  const height = 220;
  const frame = mapFrame([...places.values()], width / height);
  const x = (lon) => ((lon - frame.west) / (frame.east - frame.west)) * width;
  const y = (lat) => ((frame.north - lat) / (frame.north - frame.south)) * height;
  const map = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Map of places in recent alerts' });
  map.append(svg('rect', { class: 'sea', x: 0, y: 0, width, height }));
  if (land) {
    const d = land.map((ring) => 'M' + ring.map(([lon, lat]) => x(lon).toFixed(1) + ',' + y(lat).toFixed(1)).join('L') + 'Z').join('');
    map.append(svg('path', { class: 'land', d }));
  }
  const step = niceStep(frame.east - frame.west);
  for (let lon = Math.ceil(frame.west / step) * step; lon <= frame.east; lon += step) {
    map.append(svg('line', { class: 'graticule', x1: x(lon), y1: 0, x2: x(lon), y2: height }));
    map.append(svg('text', { class: 'grid-label', x: x(lon) + 2, y: height - 3 }, lon + '°'));
  }
  for (let lat = Math.ceil(frame.south / step) * step; lat <= frame.north; lat += step) {
    map.append(svg('line', { class: 'graticule', x1: 0, y1: y(lat), x2: width, y2: y(lat) }));
    map.append(svg('text', { class: 'grid-label', x: 2, y: y(lat) - 2 }, lat + '°'));
  }
  for (const place of places.values()) {
    const dot = svg('circle', {
      class: 'place',
      cx: x(place.lon),
      cy: y(place.lat),
      r: 4 + Math.min(8, 2 * Math.sqrt(place.count)),
      fill: 'var(--' + place.severity + ')',
      'data-place': place.name,
    });
    dot.append(svg('title', {}, place.name + ': ' + place.count + ' alert' + (place.count === 1 ? '' : 's')));
    map.append(dot, svg('text', { class: 'place-label', x: x(place.lon) + 9, y: y(place.lat) + 4 }, place.name + ' (' + place.count + ')'));
  }
  $('map').replaceChildren(map);
}

function mapFrame(places, aspect) {
  if (places.length === 0) return { west: -180, east: 180, north: 90, south: -90 };
  const lons = places.map((p) => p.lon);
  const lats = places.map((p) => p.lat);
  let west = Math.min(...lons);
  let east = Math.max(...lons);
  let south = Math.min(...lats);
  let north = Math.max(...lats);
  const midLon = (west + east) / 2;
  const midLat = (south + north) / 2;
  let lonSpan = Math.max(40, (east - west) * 1.6);
  let latSpan = Math.max(lonSpan / aspect, (north - south) * 1.6);
  lonSpan = Math.min(360, Math.max(lonSpan, latSpan * aspect));
  latSpan = Math.min(180, lonSpan / aspect);
  west = Math.max(-180, Math.min(180 - lonSpan, midLon - lonSpan / 2));
  south = Math.max(-90, Math.min(90 - latSpan, midLat - latSpan / 2));
  return { west, east: west + lonSpan, south, north: south + latSpan };
}

function niceCeil(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) if (magnitude * factor >= value) return magnitude * factor;
  return 10 * magnitude;
}

function niceStep(span) {
  for (const step of [2, 5, 10, 15, 30]) if (span / step <= 8) return step;
  return 60;
}

// --- wiring ------------------------------------------------------------------------------------

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = 'status ' + kind;
}

function connect() {
  const source = new EventSource('alerts/stream');
  source.addEventListener('open', () => setStatus('live', 'live'));
  source.addEventListener('error', () => setStatus('reconnecting…', 'reconnecting'));
  source.addEventListener('alert', (event) => add(JSON.parse(event.data)));
}

function loadLand() {
  fetch('static/land.json')
    .then((response) => (response.ok ? response.json() : null))
    .then((rings) => {
      land = rings;
      render();
    })
    .catch(() => { land = null; }); // the map still works as points on a graticule
}

for (const field of FIELDS) $('filter-' + field).addEventListener('change', render);
render();
loadLand();
connect();
