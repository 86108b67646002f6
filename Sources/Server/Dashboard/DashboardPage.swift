/// The dashboard `divergence serve` answers at `/`: one self-contained HTML page (CSS and JS inline, no CDN).
///
/// The page holds no data: its script reads `/v1/divergence/latest`, `/v1/history` and `/metrics` with the same
/// token rules as any API client (the `Authorization` header, or the `divergence_token` cookie its login form sets).
enum DashboardPage {
    /// The cookie the login form sets and the server accepts in place of the header.
    static let tokenCookie = "divergence_token"

    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>divergence</title>
<style>
:root { --bg:#fbfbf8; --fg:#1d2327; --dim:#667; --line:#dde; --b:#1f6fb2; --r:#c0392b; --d:#6c3fa0; --ok:#2e7d32; --bad:#c62828; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
header, main { max-width:1100px; margin:0 auto; padding:12px 16px; }
h1 { font-size:18px; margin:0; } h2 { font-size:15px; margin:18px 0 6px; }
#verdict { font-size:17px; font-weight:600; margin:8px 0 0; }
#asof, .dim { color:var(--dim); font-size:13px; }
.scores { display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:10px; margin-top:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.card .v { font-size:28px; font-weight:700; font-variant-numeric:tabular-nums; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); font-size:13px; }
td, th { padding:5px 8px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
td.n { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.stale { color:var(--dim); font-style:italic; }
#chart { width:100%; height:300px; background:#fff; border:1px solid var(--line); border-radius:8px; touch-action:none; }
#tip { position:fixed; pointer-events:none; background:#fff; border:1px solid var(--line); border-radius:6px; padding:4px 8px; font-size:12px; display:none; }
.legend span { margin-right:14px; font-size:13px; } .legend i { display:inline-block; width:12px; height:3px; margin-right:4px; vertical-align:middle; }
form { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; max-width:420px; }
input { font:inherit; padding:6px; width:100%; margin:6px 0; }
.fail { color:var(--bad); } .good { color:var(--ok); }
@media (max-width:600px) { .card .v { font-size:22px; } td:nth-child(4), th:nth-child(4) { display:none; } }
</style>
</head>
<body data-state="loading">
<header><h1>divergence</h1><div id="asof">loading…</div><div id="verdict"></div></header>
<main>
<form id="login" hidden><b>This server needs its token.</b><input type="text" name="username" autocomplete="username" value="divergence" hidden><label for="token"> Token</label>
<input id="token" type="password" autocomplete="current-password"><button type="submit">Open the dashboard</button>
<div id="login-error" class="fail"></div></form>
<section id="content" hidden>
<div class="scores">
<div class="card"><div class="dim">Divergence D = (B − R) / 2</div><div class="v" id="d-value">—</div><div class="dim" id="d-label"></div></div>
<div class="card"><div class="dim">Institutional bullishness B</div><div class="v" id="b-value">—</div><div class="dim" id="b-stale"></div></div>
<div class="card"><div class="dim">Technical regime R</div><div class="v" id="r-value">—</div><div class="dim" id="r-label"></div></div>
</div>
<h2>B, R and D over time</h2>
<div class="legend"><span><i style="background:var(--b)"></i>B</span><span><i style="background:var(--r)"></i>R</span><span><i style="background:var(--d)"></i>D</span><span class="dim">hover for values · wheel or pinch to zoom · double-click to reset</span></div>
<svg id="chart" viewBox="0 0 1000 300" preserveAspectRatio="none" role="img" aria-label="B, R and D over time"></svg>
<div id="tip"></div>
<h2>Components of B</h2><table id="components"><thead><tr><th>component</th><th>value</th><th>contribution</th><th>evidence</th></tr></thead><tbody></tbody></table>
<h2>Signals of R</h2><table id="signals"><thead><tr><th>signal</th><th>score</th><th>contribution</th><th>explanation</th></tr></thead><tbody></tbody></table>
<h2>Sources</h2><table id="sources"><thead><tr><th>source</th><th>kind</th><th>status</th><th>last success</th></tr></thead><tbody></tbody></table>
<p class="dim" id="data-age"></p>
</section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const signed = (v) => v === null || v === undefined ? "—" : (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(1);
const text = (el, value) => { el.textContent = value; return el; };
function row(table, cells, cls) {
  const tr = document.createElement("tr");
  if (cls) tr.className = cls;
  for (const [value, numeric] of cells) { const td = document.createElement("td"); if (numeric) td.className = "n"; text(td, value); tr.appendChild(td); }
  $(table).querySelector("tbody").appendChild(tr);
}
async function get(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { "Accept": "application/json" } });
  if (response.status === 401) { const e = new Error("token"); e.status = 401; throw e; }
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return path === "/metrics" ? response.text() : response.json();
}
function describeAsOf(iso) {
  const t = new Date(iso);
  return t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0
    ? "end of " + new Date(t.getTime() - 1000).toISOString().slice(0, 10) + " UTC" : t.toISOString();
}
function render(report) {
  text($("asof"), "as of " + describeAsOf(report.as_of));
  text($("verdict"), report.verdict);
  const d = report.divergence, b = report.bullishness, r = report.regime, f = report.freshness;
  text($("d-value"), d ? signed(d.value) : "—");
  text($("d-label"), d ? d.label + (d.percentile === null || d.percentile === undefined ? "" : ", " + d.percentile.toFixed(0) + "th percentile") : "no D");
  text($("b-value"), signed(b.score));
  text($("b-stale"), f.bullishness_stale_share > 0 ? Math.round(f.bullishness_stale_share * 100) + "% of B's weight stale" : "all inputs fresh");
  text($("r-value"), r ? signed(r.score) : "—");
  text($("r-label"), r ? r.label + (f.regime_stale_share > 0 ? ", " + Math.round(f.regime_stale_share * 100) + "% stale" : "") : "no fresh market data");
  for (const c of b.components) {
    const evidence = c.evidence.slice(0, 2).map((e) => e.text).join(" · ");
    row("components", [[c.name], [signed(c.value), true], [signed(c.contribution), true], [evidence]]);
  }
  for (const s of b.stale) row("components", [[s.name], ["null", true], ["—", true], [s.reason]], "stale");
  for (const s of (r ? r.signals : [])) row("signals", [[s.name], [(s.score >= 0 ? "+" : "−") + Math.abs(s.score).toFixed(2), true], [signed(s.contribution), true], [s.explanation]]);
  for (const s of f.regime_stale) row("signals", [[s.name], ["null", true], ["—", true], [s.reason]], "stale");
  text($("data-age"), "Last price day " + (report.data.last_price_day || "—") + ", last hashrate day " + (report.data.last_hashrate_day || "—") + ".");
}
function renderSources(metrics) {
  const sources = new Map();
  for (const line of metrics.split("\n")) {
    const m = line.match(/^(divergence_source_(consecutive_failures|last_success_timestamp_seconds|disabled))\{(.*)\} (\S+)$/);
    if (!m) continue;
    const labels = {}; for (const l of m[3].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (x, c) => c === "n" ? "\n" : c);
    const s = sources.get(labels.source_id) || { name: labels.source, kind: labels.kind };
    s[m[2]] = Number(m[4]); sources.set(labels.source_id, s);
  }
  for (const s of sources.values()) {
    const status = s.disabled ? "disabled" : s.consecutive_failures > 0 ? s.consecutive_failures + " failure(s)" : "ok";
    const last = s.last_success_timestamp_seconds ? new Date(s.last_success_timestamp_seconds * 1000).toISOString().replace(".000Z", "Z") : "never";
    row("sources", [[s.name], [s.kind], [status], [last]], status === "ok" ? "good" : "fail");
  }
}
const chart = { points: [], from: 0, to: 0 };
function drawChart() {
  const svg = $("chart"), W = 1000, H = 300, pad = 34;
  const pts = chart.points.slice(chart.from, chart.to + 1);
  const x = (i) => pad + (W - 2 * pad) * (pts.length < 2 ? 0.5 : i / (pts.length - 1));
  const y = (v) => H / 2 - (H / 2 - 16) * v / 100;
  let body = "";
  for (const level of [-100, -50, 0, 50, 100]) body += `<line x1="${pad}" x2="${W - pad}" y1="${y(level)}" y2="${y(level)}" stroke="#dde"/><text x="4" y="${y(level) + 4}" font-size="11" fill="#667">${level}</text>`;
  for (const [key, colour] of [["bullishness", "var(--b)"], ["regime", "var(--r)"], ["divergence", "var(--d)"]]) {
    let path = "", pen = "M";
    pts.forEach((p, i) => { if (p[key] === null || p[key] === undefined) { pen = "M"; return; } path += `${pen}${x(i).toFixed(1)},${y(p[key]).toFixed(1)} `; pen = "L"; });
    body += `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2" vector-effect="non-scaling-stroke"/>`;
  }
  if (pts.length) body += `<text x="${pad}" y="${H - 4}" font-size="11" fill="#667">${pts[0].day}</text><text x="${W - pad}" y="${H - 4}" font-size="11" fill="#667" text-anchor="end">${pts[pts.length - 1].day}</text>`;
  body += `<line id="crosshair" y1="0" y2="${H}" stroke="#888" stroke-dasharray="3 3" visibility="hidden"/>`;
  svg.innerHTML = body;
}
function pointAt(event) {
  const box = $("chart").getBoundingClientRect(), pad = 34 * box.width / 1000;
  const count = chart.to - chart.from + 1;
  const fraction = Math.min(1, Math.max(0, (event.clientX - box.left - pad) / (box.width - 2 * pad)));
  return { index: chart.from + Math.round(fraction * (count - 1)), fraction };
}
function hover(event) {
  if (!chart.points.length) return;
  const { index } = pointAt(event), p = chart.points[index], box = $("chart").getBoundingClientRect();
  const count = chart.to - chart.from + 1, xs = 34 + (1000 - 68) * (count < 2 ? 0.5 : (index - chart.from) / (count - 1));
  const cross = $("crosshair"); cross.setAttribute("x1", xs); cross.setAttribute("x2", xs); cross.setAttribute("visibility", "visible");
  const tip = $("tip");
  tip.textContent = `${p.day}  B ${signed(p.bullishness)}  R ${signed(p.regime)}  D ${signed(p.divergence)}`;
  tip.style.display = "block"; tip.style.left = Math.min(event.clientX + 12, innerWidth - 260) + "px"; tip.style.top = (box.top + 8) + "px";
}
function zoom(event) {
  if (chart.points.length < 8) return;
  event.preventDefault();
  const { index, fraction } = pointAt(event), span = chart.to - chart.from;
  const next = Math.max(7, Math.min(chart.points.length - 1, Math.round(span * (event.deltaY < 0 ? 0.8 : 1.25))));
  chart.from = Math.max(0, Math.min(chart.points.length - 1 - next, Math.round(index - fraction * next)));
  chart.to = chart.from + next;
  drawChart();
}
async function load() {
  try {
    const report = await get("/v1/divergence/latest");
    $("content").hidden = false;
    render(report);
    const last = report.data.last_price_day || report.as_of.slice(0, 10);
    const to = new Date(Math.min(Date.parse(last + "T00:00:00Z"), Date.parse(report.as_of) - 86400000));
    const from = new Date(to.getTime() - 180 * 86400000);
    const history = await get(`/v1/history?from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}&step=1d`);
    chart.points = history.points; chart.from = 0; chart.to = Math.max(0, history.points.length - 1);
    drawChart();
    renderSources(await get("/metrics"));
    document.body.dataset.state = "ready";
  } catch (error) {
    if (error.status === 401) { $("login").hidden = false; text($("asof"), "sign in"); document.body.dataset.state = "login"; return; }
    text($("verdict"), "The dashboard could not load: " + error.message);
    document.body.dataset.state = "error";
  }
}
$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  document.cookie = "divergence_token=" + encodeURIComponent($("token").value.trim()) + "; path=/; SameSite=Strict";
  location.reload();
});
$("chart").addEventListener("mousemove", hover);
$("chart").addEventListener("mouseleave", () => { $("tip").style.display = "none"; const c = $("crosshair"); if (c) c.setAttribute("visibility", "hidden"); });
$("chart").addEventListener("wheel", zoom, { passive: false });
$("chart").addEventListener("dblclick", () => { chart.from = 0; chart.to = Math.max(0, chart.points.length - 1); drawChart(); });
load();
</script>
</body>
</html>
"""#
}
