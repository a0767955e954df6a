// The partner board page: draws /api/board, then redraws it from /api/stream (Server-Sent
// Events) whenever prm-view's board changed. Everything is also in text: tables name every
// truck and site, the map only repeats them.
"use strict";

const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g,
  (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
// UTC times as the events carry them; shown as HH:MM (UTC), the full time in datetime=.
const hm = (iso) => iso ? `<time datetime="${esc(iso)}">${esc(iso.slice(11, 16))}</time>` : "";
const hms = (iso) => iso ? `<time datetime="${esc(iso)}">${esc(iso.slice(11, 19))}</time>` : "";
const pct = (x) => x === null || x === undefined ? "" : `${Math.round(x * 100)} %`;
const num = (x, digits) => x === null || x === undefined ? "" : Number(x).toFixed(digits);
const badge = (s) => s ? `<span class="st st-${esc(s)}">${esc(s.replace("_", " "))}</span>` : "";

function table(caption, head, rows) {
  if (!rows.length) return `<p>No ${esc(caption.toLowerCase())} yet.</p>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) =>
    `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) =>
    `<tr>${r.join("")}</tr>`).join("")}</tbody></table>`;
}
const td = (html, cls) => cls ? `<td class="${cls}">${html}</td>` : `<td>${html}</td>`;
const th = (html) => `<th scope="row">${html}</th>`;

function delayText(d) {
  if (!d) return "";
  return `${badge(d.status)} ${esc(d.change)} at ${hm(d.time)}, ETA ${hm(d.eta)}`;
}

function etaCells(s) {
  if (!s || !s.eta) return [td(""), td(""), td(""), td(""), td("")];
  const range = s.eta_p10 ? `${hm(s.eta_p10)}–${hm(s.eta_p90)}` : "";
  const win = s.window ? `${hm(s.window.start)}–${hm(s.window.end)}` : "none";
  return [td(hm(s.eta)), td(range), td(pct(s.on_time_probability), "num"), td(win), td(badge(s.status))];
}

function drawMap(b) {
  const pts = [];
  for (const s of b.sites) if (s.lat !== null) pts.push([s.lat, s.lon]);
  for (const t of b.trucks) if (t.position) pts.push([t.position.lat, t.position.lon]);
  if (!pts.length) return "<p>Nothing located yet.</p>";
  const lat0 = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const k = Math.cos(lat0 * Math.PI / 180);  // equirectangular: a degree of lon is shorter
  const xs = pts.map((p) => p[1] * k), ys = pts.map((p) => -p[0]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 900, H = 450, pad = 60;
  const scale = Math.min((W - 2 * pad) / Math.max(x1 - x0, 1e-4), (H - 2 * pad) / Math.max(y1 - y0, 1e-4));
  const X = (lon) => pad + (lon * k - x0) * scale, Y = (lat) => pad + (-lat - y0) * scale;
  let svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Map of ${b.sites.length} sites and ${b.trucks.length} trucks; the tables below list them all">`;
  // A truck at a site is drawn on a ring around it, named in the site's label: labels of
  // trucks parked together would otherwise overprint each other.
  const at = new Map();  // site -> trucks at it
  const placed = [];
  for (const t of b.trucks) {
    if (!t.position) continue;
    const x = X(t.position.lon), y = Y(t.position.lat);
    const site = b.sites.find((s) => s.lat !== null && Math.hypot(X(s.lon) - x, Y(s.lat) - y) < 14);
    if (site) {
      const ring = at.get(site.site) || [];
      ring.push(t);
      at.set(site.site, ring);
      const a = (ring.length - 1) * 0.9, r = 14 + 6 * Math.floor((ring.length - 1) / 7);
      placed.push([t, X(site.lon) + r * Math.cos(a), Y(site.lat) + r * Math.sin(a), false]);
    } else {
      placed.push([t, x, y, true]);
    }
  }
  for (const s of b.sites) {
    if (s.lat === null) continue;
    const here = at.get(s.site) || [];
    const label = here.length ? `${s.site} (${here.length} here)` : s.site;
    svg += `<g><title>${esc(s.site)}${here.length ? ": " + here.map((t) => esc(t.vehicle_id)).join(", ") : ""}</title>` +
      `<rect class="site" x="${X(s.lon) - 7}" y="${Y(s.lat) - 7}" width="14" height="14"/>` +
      `<text class="label" x="${X(s.lon) + 12}" y="${Y(s.lat) - 12}">${esc(label)}</text></g>`;
  }
  for (const [t, x, y, labelled] of placed) {
    const c = t.worst_status || "none";
    svg += `<g><title>${esc(t.vehicle_id)}: ${esc(c)}</title><circle class="truck ${esc(c)}" cx="${x}" cy="${y}" r="${labelled ? 7 : 5}"/>` +
      (labelled ? `<text class="label" x="${x + 9}" y="${y + 14}">${esc(t.vehicle_id)}</text>` : "") + "</g>";
  }
  return svg + "</svg>";
}

function render(b) {
  const h = b.health, input = h.input;
  const lost = h.agents.reduce((a, x) => a + x.lost, 0);
  const bad = input.malformed + input.unknown_type + input.other_version;
  $("totals").innerHTML = `${b.trucks.length} trucks, ${b.sites.length} sites, ${h.events} events, ` +
    `${lost} lost, ${bad} bad messages — updated ${hms(new Date().toISOString())} UTC`;
  $("map-drawing").innerHTML = drawMap(b);

  $("truck-table").innerHTML = table("Trucks", ["Truck", "Carrier", "Position", "Next stop",
    "ETA (UTC)", "p10–p90", "On time", "Window", "Status", "Latest delay"], b.trucks.map((t) => {
    const p = t.position, n = t.next_stop;
    const pos = p ? `${num(p.lat, 4)}, ${num(p.lon, 4)} · ${num(p.speed_kmh, 0)} km/h · ${hms(p.time)}` : "no position yet";
    const next = n ? `${esc(n.stop_id)} ${esc(n.site)}${n.dock ? " door " + esc(n.dock) : ""} · ${num(n.remaining_m / 1000, 1)} km`
      : (t.visited.length ? `done: last ${esc(t.visited[t.visited.length - 1].site)}` : "");
    return [th(esc(t.vehicle_id)), td(esc(t.carrier)), td(pos), td(next), ...etaCells(n), td(delayText(n && n.delay))];
  }));

  $("inbound-tables").innerHTML = b.sites.map((s) => `<h3>${esc(s.site)}</h3>` +
    table(`Inbound to ${s.site}`, ["Truck", "Carrier", "Stop", "Door", "ETA (UTC)", "p10–p90", "On time",
      "Window", "Status", "Latest delay", "Visit"], s.inbound.map((v) => {
      const visit = v.arrived_at ? `${esc(v.state)} · arrived ${hm(v.arrived_at)} ${badge(v.punctuality)}` +
        (v.departed_at ? ` · left ${hm(v.departed_at)}` : "") : esc(v.state);
      return [th(esc(v.vehicle_id)), td(esc(v.carrier)), td(esc(v.stop_id)), td(esc(v.door || v.dock)),
        ...etaCells(v), td(delayText(v.delay)), td(visit)];
    }))).join("");

  const doors = b.sites.flatMap((s) => s.door_list);
  $("door-table").innerHTML = table("Dock doors", ["Site", "Door", "Truck", "Appointment", "Arrival",
    "State", "Pallets (received / announced)", "Discrepancies"], doors.map((d) => {
    const disc = [d.missing.length ? `${d.missing.length} missing: ${d.missing.map(esc).join(", ")}` : "",
      d.unexpected.length ? `${d.unexpected.length} unexpected: ${d.unexpected.map(esc).join(", ")}` : ""]
      .filter(Boolean).join("; ") || (d.discrepancies ? "yes" : "none");
    return [th(esc(d.site)), td(esc(d.dock)), td(esc(d.vehicle_id)), td(esc(d.appointment_id)),
      td(badge(d.punctuality)), td(`${esc(d.state)} since ${hm(d.since)}`),
      td(`${d.received}${d.expected === null ? "" : " / " + d.expected}`, "num"),
      td(disc.startsWith("none") ? disc : `<span class="warn">${disc}</span>`)];
  }));

  $("carrier-table").innerHTML = table("Carrier scorecards", ["Carrier", "Trucks", "Trips", "Arrivals",
    "Inside window", "Mean minutes late (late arrivals)", "Discrepancy rate", "Data completeness"],
  b.carriers.map((c) => [th(esc(c.carrier)), td(c.trucks, "num"), td(c.trips, "num"), td(c.arrivals, "num"),
    td(c.arrivals ? `${pct(c.on_time_share)} (${c.on_time} of ${c.arrivals})` : "", "num"),
    td(num(c.mean_minutes_late, 1), "num"),
    td(c.visits ? `${pct(c.discrepancy_rate)} (${c.discrepancies} of ${c.visits})` : "", "num"),
    td(`${pct(c.data_completeness)}${c.seqs_lost ? ` (${c.seqs_lost} lost)` : ""}`, "num")]));

  $("demand-table").innerHTML = table("Demand", ["GTIN", "Site", "Hour from (UTC)", "Units received", "Units shipped"],
    b.demand.map((d) => [th(esc(d.gtin)), td(esc(d.site)), td(`<time datetime="${esc(d.hour)}">${esc(d.hour.slice(0, 10))} ${esc(d.hour.slice(11, 16))}</time>`),
      td(d.received, "num"), td(d.shipped, "num")]));

  $("input-counters").innerHTML = bad
    ? `<p class="warn">Messages the board could not use: ${input.malformed} malformed, ${input.unknown_type} of an unknown type, ${input.other_version} of another envelope version. Last: ${esc(input.last_problem)}</p>`
    : "<p>Every message was readable.</p>";
  $("agent-table").innerHTML = table("Agents", ["Agent", "State", "Carrier / vehicle / site", "Events",
    "Last seq", "Announced drops", "Lost", "Redeliveries", "Out of order", "Completeness", "Messages / 10 s"],
  h.agents.map((a) => [th(esc(a.agent_id)), td(esc(a.state)), td(esc([a.carrier, a.vehicle_id, a.site].filter(Boolean).join(" / "))),
    td(a.events, "num"), td(a.last_seq, "num"), td(a.announced_drops, "num"),
    td(a.lost ? `<span class="warn">${a.lost}</span>` : "0", "num"), td(a.duplicates, "num"), td(a.out_of_order, "num"),
    td(pct(a.completeness), "num"), td(a.flooding ? `<span class="warn">${a.messages_per_10s} flooding</span>` : a.messages_per_10s, "num")]));
  document.body.dataset.ready = "1";
  refreshJourney();
}

function place(p) {
  return `${esc(p.site)} door ${esc(p.dock)} at ${hms(p.time)} UTC` +
    (p.appointment_id ? ` (appointment ${esc(p.appointment_id)})` : "");
}

function journeyHtml(j) {
  const steps = [];
  if (j.loaded) steps.push(`Loaded at ${place(j.loaded)}${j.loaded.vehicle_id ? ` onto truck ${esc(j.loaded.vehicle_id)}` : ""}`);
  if (j.truck && !j.received) {
    const n = j.truck.next_stop;
    steps.push(`On truck ${esc(j.truck.vehicle_id)}${j.truck.carrier ? ` (${esc(j.truck.carrier)})` : ""}` +
      (n ? `, next stop ${esc(n.site)}: ETA ${hm(n.eta)} UTC ${badge(n.status)}` : ""));
  }
  if (j.received) steps.push(`Received at ${place(j.received)}`);
  if (j.missing && !j.received) steps.push(`<span class="warn">Missing</span>: announced for ${place(j.missing)}, never scanned there`);
  if (j.unexpected) steps.push(`Unexpected at ${place(j.unexpected)} (not announced for that truck)`);
  return `<h3>SSCC ${esc(j.sscc)}: ${esc(j.state)}</h3>` +
    (j.gtin ? `<p>GTIN ${esc(j.gtin)}${j.units ? `, ${j.units} units` : ""}</p>` : "") +
    `<ol class="journey">${steps.map((s) => `<li>${s}</li>`).join("")}</ol>`;
}

let searched = "", lastLookup = 0;
function showPallet(id, ok, body) {
  if (!ok) { $("journey").innerHTML = `<p class="warn">${esc(body.error)}</p>`; return; }
  $("journey").innerHTML = body.pallets ? `<h3>GTIN ${esc(body.gtin)}: ${body.pallets.length} pallets</h3>` +
    body.pallets.map(journeyHtml).join("") : journeyHtml(body);
  $("journey").dataset.for = id;
}
async function lookup(id) {
  searched = id;
  lastLookup = Date.now();
  const res = await fetch(`/api/pallets/${encodeURIComponent(id)}`);
  showPallet(id, res.ok, await res.json());
}
function refreshJourney() {
  if (searched && Date.now() - lastLookup > 2000) lookup(searched);
}

$("pallet-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const id = $("pallet-search").value.trim();
  if (!id) return;
  history.replaceState(null, "", `?id=${encodeURIComponent(id)}#pallet`);
  lookup(id);
});

(function start() {
  // prm-view put the board (and the pallet asked for in the address) into the page: drawn
  // before the page counts as loaded, then kept live by the stream.
  const initial = JSON.parse($("initial").textContent);
  const q = new URLSearchParams(location.search);
  const id = q.get("id") || q.get("sscc") || q.get("gtin");
  render(initial.board);
  if (id) {
    $("pallet-search").value = id;
    searched = id;
    lastLookup = Date.now();
    showPallet(id, !initial.pallet.error, initial.pallet);
  }
  const stream = new EventSource("/api/stream");
  stream.onmessage = (e) => render(JSON.parse(e.data));
  stream.onerror = () => { $("totals").textContent = "connection to prm-view lost; retrying…"; };
})();
