import Foundation

/// The interactive chart: one script, shared by the dashboard (`divergence serve`, route `/`) and `chart --out FILE.html`.
/// It draws the `divergence.chart/1` JSON as SVG in the browser, with a crosshair and a tooltip on hover (or touch), and
/// zoom by dragging across any panel (double-click or the reset button to zoom out). No external resources.
public enum InteractiveChart {
    /// A standalone page: the chart's data embedded as JSON, the script, and a one-paragraph guide.
    public static func html(_ data: ChartData) throws -> String {
        let json = try ChartJSON(data).encoded()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>divergence \(data.from.iso) to \(data.to.iso)</title><style>\(style)</style></head>
            <body><main class="page">
            <p class="guide">Top to bottom: the BTC-USD close against miners' all-in production cost (support zones as bands); network
            hashrate with its 30- and 60-day averages (capitulation shaded); institutional bullishness B against the technical regime R;
            and their divergence D = (B − R) / 2 with its 10th–90th percentile band. Hover for values, drag across a panel to zoom,
            double-click to zoom out.</p>
            <div id="chart" class="chart"></div>
            \(data.minerStress.map { "<p class=\"guide\">Miner stress test as of \(data.to.iso): share of hashrate whose cost per coin is above a price.</p>" + ChartRendering.minerCurveSVG($0) } ?? "")</main>
            <script type="application/json" id="chart-data">\(scriptSafe(json))</script>
            <script>\(script)
            DivergenceChart.render(document.getElementById('chart'), JSON.parse(document.getElementById('chart-data').textContent));</script>
            </body></html>
            """
    }

    /// JSON made safe inside a `<script>` element (no `</script>` or `<!--` can close or comment it).
    public static func scriptSafe(_ json: String) -> String {
        json.replacingOccurrences(of: "</", with: "<\\/").replacingOccurrences(of: "<!--", with: "<\\u0021--")
    }

    /// The chart's CSS.
    public static let style = #"""
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#fff}
        .page{max-width:1180px;margin:0 auto;padding:12px}
        .guide{font-size:14px;line-height:1.4;color:#444}
        .chart{position:relative;user-select:none;-webkit-user-select:none}
        .chart svg{display:block;width:100%;height:auto;touch-action:pan-y}
        .chart .tip{position:absolute;pointer-events:none;background:rgba(255,255,255,.96);border:1px solid #999;border-radius:4px;
          padding:6px 8px;font-size:12px;line-height:1.35;box-shadow:0 1px 4px rgba(0,0,0,.2);white-space:nowrap;display:none}
        .chart .bar{display:flex;gap:8px;align-items:center;font-size:12px;margin:4px 0}
        .chart button{font-size:12px;padding:2px 8px}
        .chart .axis{font-size:10.5px;fill:#444}.chart .title{font-size:12.5px;font-weight:600}.chart .code{font-size:9.5px;font-weight:700;fill:#fff}
        .chart .grid{stroke:#e6e6e6}
        """#

    /// The script: `DivergenceChart.render(element, data)`.
    public static let script = #"""
        var DivergenceChart = (function () {
          'use strict';
          var NS = 'http://www.w3.org/2000/svg', DAY = 86400000;
          var MONTHS = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
          function t(day) { return Date.parse(day + 'T00:00:00Z'); }
          function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
          function el(name, attrs, parent, text) {
            var node = document.createElementNS(NS, name);
            for (var key in attrs) node.setAttribute(key, attrs[key]);
            if (text !== undefined) node.textContent = text;
            if (parent) parent.appendChild(node);
            return node;
          }
          function grouped(v) { return Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
          function trimmed(v) { return (+v.toFixed(2)).toString(); }
          // "1,000", "2.5", "$60k", "$1.2M" — the same rule as ChartAxes.label in Swift.
          function label(v, currency) {
            if (v === null || v === undefined || !isFinite(v)) return '—';
            var sign = v < 0 ? '−' : '', m = Math.abs(v), p = currency ? '$' : '';
            if (currency && m >= 1e6) return sign + p + trimmed(m / 1e6) + 'M';
            if (currency && m >= 1e3) return sign + p + trimmed(m / 1e3) + 'k';
            if (m >= 1000) return sign + p + grouped(m);
            return sign + p + trimmed(m);
          }
          function money(v) { return v === null || v === undefined ? '—' : '$' + grouped(v); }
          // 1-2-5 ticks on a linear axis.
          function linearTicks(lo, hi, target) {
            var span = hi - lo; if (!(span > 0)) return [lo];
            var rough = span / target, mag = Math.pow(10, Math.floor(Math.log10(rough)));
            var step = [1, 2, 5, 10].map(function (m) { return m * mag; }).filter(function (s) { return s >= rough; })[0];
            var out = []; for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9 && out.length < 100; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
            return out;
          }
          // Per-decade ticks on a log axis, the densest set with at most 8 ticks (at least 3 where possible): ChartAxes.logTicks.
          function logTicks(lo, hi) {
            var sets = [[1], [1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8]].map(function (ms) {
              var out = [];
              for (var e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) ms.forEach(function (m) { var v = m * Math.pow(10, e); if (v >= lo && v <= hi) out.push(v); });
              return out;
            });
            for (var i = sets.length - 1; i >= 0; i--) if (sets[i].length <= 8 && sets[i].length >= 3) return sets[i];
            return sets[0];
          }
          // Calendar ticks: days, Mondays, months, quarters or years, by span.
          function dayTicks(from, to) {
            var span = (to - from) / DAY, out = [], d;
            if (span <= 70) {
              var step = span <= 21 ? 1 : 7; d = new Date(from);
              if (step === 7) while (d.getUTCDay() !== 1) d = new Date(d.getTime() + DAY);
              for (; d.getTime() <= to; d = new Date(d.getTime() + step * DAY))
                out.push([d.getTime(), d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + (out.length ? '' : ' ' + d.getUTCFullYear())]);
              return out;
            }
            var ms = span <= 430 ? 1 : span <= 1500 ? 3 : 12, f = new Date(from), y = f.getUTCFullYear(), m = f.getUTCMonth();
            m = Math.floor(m / ms) * ms;
            for (;;) {
              var day = Date.UTC(y, m, 1);
              if (day > to) break;
              if (day >= from) out.push([day, ms === 12 ? String(y) : (m === 0 || !out.length) ? MONTHS[m] + ' ' + y : MONTHS[m]]);
              m += ms; while (m >= 12) { m -= 12; y++; }
            }
            return out;
          }
          function pct(values, p) { var s = values.slice().sort(function (a, b) { return a - b; }); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]; }

          function render(root, data, range) {
            root.innerHTML = '';
            root.classList.add('chart');
            var full = [t(data.from), t(data.to)];
            var from = range ? range[0] : full[0], to = range ? range[1] : full[1];
            function inRange(p) { var x = t(p.day); return x >= from && x <= to; }
            var bar = document.createElement('div'); bar.className = 'bar';
            var span = document.createElement('span'); span.textContent = iso(from) + ' to ' + iso(to) + ' (UTC days)'; bar.appendChild(span);
            if (range) { var reset = document.createElement('button'); reset.textContent = 'reset zoom'; reset.onclick = function () { render(root, data); }; bar.appendChild(reset); }
            root.appendChild(bar);
            var W = Math.max(320, root.clientWidth || 1100), narrow = W < 640;
            var L = narrow ? 52 : 74, R = narrow ? 12 : 180, PH = narrow ? 150 : 180, GAP = 58, LANE = 30;
            var kinds = []; data.events.forEach(function (e) { if (inRange(e) && !kinds.some(function (k) { return k.kind === e.kind; })) kinds.push(e); });
            var perRow = narrow ? 1 : 3, legendRows = Math.max(1, Math.ceil(kinds.length / perRow));
            var laneTop = 14 + legendRows * 16 + 6, top0 = laneTop + LANE + 20;
            function top(i) { return top0 + i * (PH + GAP); }
            var H = top(3) + PH + 30;
            var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'divergence chart' }, root);
            el('rect', { width: W, height: H, fill: '#fff' }, svg);
            function x(ms) { return L + (W - L - R) * (ms - from) / Math.max(1, to - from); }
            function dayOfX(px) { return from + (px - L) / (W - L - R) * (to - from); }
            kinds.forEach(function (k, i) {
              var lx = L + (i % perRow) * 300, ly = 14 + Math.floor(i / perRow) * 16;
              el('rect', { x: lx, y: ly - 10, width: 30, height: 13, rx: 3, fill: k.colour }, svg);
              el('text', { x: lx + 15, y: ly, 'class': 'code', 'text-anchor': 'middle' }, svg, k.code);
              el('text', { x: lx + 36, y: ly, 'class': 'axis' }, svg, k.meaning);
            });
            var titles = ['BTC-USD close vs all-in production cost (USD, log) — bands: support',
                          'Hashrate (EH/s), 30/60-day averages — shaded: capitulation',
                          'Institutional bullishness B and technical regime R', 'Divergence D = (B − R) / 2 — band: 10th–90th percentile'];
            var ticks = dayTicks(from, to);
            titles.forEach(function (title, i) {
              el('rect', { x: L, y: top(i), width: W - L - R, height: PH, fill: '#fcfcfc', stroke: '#bbb' }, svg);
              el('text', { x: L, y: top(i) - 8, 'class': 'title' }, svg, title);
              ticks.forEach(function (tk) {
                el('line', { x1: x(tk[0]), x2: x(tk[0]), y1: top(i), y2: top(i) + PH, 'class': 'grid' }, svg);
                el('text', { x: x(tk[0]), y: top(i) + PH + 14, 'class': 'axis', 'text-anchor': 'middle' }, svg, tk[1]);
              });
            });
            function scale(i, lo, hi, log) {
              var a = log ? Math.log(lo) : lo, b = log ? Math.log(hi) : hi;
              return function (v) { var w = log ? Math.log(Math.max(v, 1e-9)) : v; return top(i) + PH - PH * (w - a) / Math.max(b - a, 1e-12); };
            }
            function yAxis(y, values, currency) {
              values.forEach(function (v) {
                el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), 'class': 'grid' }, svg);
                el('text', { x: L - 6, y: y(v) + 4, 'class': 'axis', 'text-anchor': 'end' }, svg, label(v, currency));
              });
            }
            function line(y, points, colour, width, dash) {
              var pts = points.filter(inRange).filter(function (p) { return p.value !== null && isFinite(p.value); });
              if (pts.length < 2) return;
              el('polyline', { fill: 'none', stroke: colour, 'stroke-width': width || 1.6, 'stroke-dasharray': dash || 'none',
                               points: pts.map(function (p) { return x(t(p.day)).toFixed(1) + ',' + y(p.value).toFixed(1); }).join(' ') }, svg);
            }
            function legend(i, items) {
              var lx = L + 10;
              items.forEach(function (it) { el('text', { x: lx, y: top(i) + 16, fill: it[1], 'font-size': 12, 'font-weight': 700 }, svg, it[0]); lx += it[0].length * 7.2 + 16; });
            }
            function shade(i, start, end, colour, opacity) {
              var a = Math.max(L, x(t(start))), b = Math.min(W - R, x(end ? t(end) : to));
              if (b > a) el('rect', { x: a, y: top(i), width: b - a, height: PH, fill: colour, 'fill-opacity': opacity }, svg);
            }
            function values(points) { return points.filter(inRange).map(function (p) { return p.value; }).filter(function (v) { return v !== null && isFinite(v); }); }
            var scores = data.scores.map(function (s) { return { day: s.day, b: s.bullishness, r: s.regime, d: s.divergence, bs: s.stated, br: s.revealed }; });
            function series(key) { return scores.map(function (s) { return { day: s.day, value: s[key] === undefined ? null : s[key] }; }); }

            var pv = values(data.close).concat(values(data.production_cost)).filter(function (v) { return v > 0; });
            var plo = Math.max(1, Math.min.apply(null, pv.length ? pv : [1]) * 0.9), phi = Math.max(2, Math.max.apply(null, pv.length ? pv : [2]) * 1.1);
            var yp = scale(0, plo, phi, true);
            data.capitulations.forEach(function (c) { shade(0, c.start, c.end, '#e67e22', 0.08); shade(1, c.start, c.end, '#e67e22', 0.18); });
            data.support_zones.forEach(function (z) {
              if (z.high < plo || z.low > phi) return;
              var a = yp(Math.min(z.high, phi)), b = yp(Math.max(z.low, plo)), h = Math.max(3, b - a);
              el('rect', { x: L, y: a - (h - (b - a)) / 2, width: W - L - R, height: h, fill: '#2e86c1', 'fill-opacity': 0.13 }, svg);
              if (!narrow) el('text', { x: W - R + 6, y: (a + b) / 2 + 4, 'class': 'axis' }, svg, 'support ' + money(z.low) + (z.high > z.low ? '–' + money(z.high) : '') + ' (' + z.touches + '×)');
            });
            yAxis(yp, logTicks(plo, phi), true);
            line(yp, data.production_cost, '#c0392b', 1.6, '6,3');
            line(yp, data.close, '#1f4e9c');
            legend(0, [['close', '#1f4e9c'], ['production cost', '#c0392b']]);

            var hv = values(data.hashrate).concat(values(data.ribbon30));
            var hlo = Math.min.apply(null, hv.length ? hv : [0]), hhi = Math.max.apply(null, hv.length ? hv : [1]), hm = Math.max((hhi - hlo) * 0.05, 1e-6);
            var ht = linearTicks(hlo - hm, hhi + hm, 5), yh = scale(1, Math.min(ht[0], hlo - hm), Math.max(ht[ht.length - 1], hhi + hm), false);
            yAxis(yh, ht, false);
            line(yh, data.hashrate, '#b5b5b5', 1);
            line(yh, data.ribbon30, '#27ae60');
            line(yh, data.ribbon60, '#8e44ad');
            legend(1, [['daily', '#999'], ['30-day', '#27ae60'], ['60-day', '#8e44ad']]);

            var ys = scale(2, -100, 100, false), yd = scale(3, -100, 100, false);
            yAxis(ys, [-100, -50, 0, 50, 100], false);
            var twoSided = values(series('br')).length > 0;
            if (twoSided) { line(ys, series('bs'), '#5dade2', 1.2, '5,3'); line(ys, series('br'), '#7d3c98', 1.2, '2,2'); }
            line(ys, series('b'), '#1f4e9c'); line(ys, series('r'), '#c0392b');
            legend(2, [['B', '#1f4e9c'], ['R', '#c0392b']].concat(twoSided ? [['Bₛ stated', '#5dade2'], ['Bᵣ revealed', '#7d3c98']] : []));
            var dv = values(series('d'));
            if (dv.length >= 10) {
              var p10 = pct(dv, 0.1), p90 = pct(dv, 0.9);
              el('rect', { x: L, y: yd(p90), width: W - L - R, height: Math.max(1, yd(p10) - yd(p90)), fill: '#d35400', 'fill-opacity': 0.1 }, svg);
            }
            yAxis(yd, [-100, -50, 0, 50, 100], false);
            line(yd, series('d'), '#d35400');
            legend(3, [['D', '#d35400']]);

            // Event markers, clustered where they would overlap.
            var clusters = [];
            data.events.filter(inRange).forEach(function (e) {
              var px = x(t(e.day)), last = clusters[clusters.length - 1];
              if (last && px - last.first < 34) { last.events.push(e); last.x = (last.x * (last.events.length - 1) + px) / last.events.length; }
              else clusters.push({ first: px, x: px, events: [e] });
            });
            clusters.forEach(function (c) {
              var colours = c.events.map(function (e) { return e.colour; }).filter(function (v, i, a) { return a.indexOf(v) === i; });
              var colour = colours.length === 1 ? colours[0] : '#555', cx = Math.min(Math.max(c.x, L + 15), W - R - 15);
              var g = el('g', { 'class': 'event' }, svg);
              el('title', {}, g, c.events.map(function (e) { return e.day + ' ' + e.meaning + ': ' + e.detail; }).join('\n'));
              el('line', { x1: c.x, x2: c.x, y1: laneTop + LANE - 6, y2: top(0) + PH, stroke: colour, 'stroke-opacity': 0.45 }, g);
              el('rect', { x: cx - 15, y: laneTop + 4, width: 30, height: 16, rx: 3, fill: colour }, g);
              el('text', { x: cx, y: laneTop + 16, 'class': 'code', 'text-anchor': 'middle' }, g, c.events.length === 1 ? c.events[0].code : c.events.length + '×');
            });

            // Crosshair, tooltip and drag-to-zoom.
            var cross = el('line', { y1: top(0), y2: top(3) + PH, stroke: '#333', 'stroke-width': 1, 'stroke-dasharray': '2,2', visibility: 'hidden' }, svg);
            var band = el('rect', { y: top(0), height: top(3) + PH - top(0), fill: '#1f4e9c', 'fill-opacity': 0.12, visibility: 'hidden' }, svg);
            var tip = document.createElement('div'); tip.className = 'tip'; root.appendChild(tip);
            var byDay = {};
            function put(points, key) { points.forEach(function (p) { (byDay[p.day] = byDay[p.day] || {})[key] = p.value; }); }
            put(data.close, 'close'); put(data.production_cost, 'cost'); put(data.hashrate, 'hashrate'); put(data.ribbon30, 'r30'); put(data.ribbon60, 'r60');
            scores.forEach(function (s) { var o = byDay[s.day] = byDay[s.day] || {}; o.b = s.b; o.r = s.r; o.d = s.d; o.bs = s.bs; o.br = s.br; });
            var days = Object.keys(byDay).filter(function (d) { var v = t(d); return v >= from && v <= to; }).sort();
            function local(evt) {
              var box = svg.getBoundingClientRect(), p = evt.touches ? evt.touches[0] : evt;
              return { x: (p.clientX - box.left) * W / box.width, y: (p.clientY - box.top) * H / box.height, box: box };
            }
            function nearest(ms) {
              var best = null, dist = Infinity;
              days.forEach(function (d) { var k = Math.abs(t(d) - ms); if (k < dist) { dist = k; best = d; } });
              return best;
            }
            function num(v, digits) { return v === undefined || v === null ? '—' : (+v).toFixed(digits); }
            var dragStart = null;
            function hover(evt) {
              var p = local(evt);
              if (p.x < L || p.x > W - R) { cross.setAttribute('visibility', 'hidden'); tip.style.display = 'none'; return; }
              var day = nearest(dayOfX(p.x)); if (!day) return;
              var o = byDay[day], cx = x(t(day));
              cross.setAttribute('x1', cx); cross.setAttribute('x2', cx); cross.setAttribute('visibility', 'visible');
              tip.innerHTML = '<b>' + day + '</b><br>close ' + money(o.close) + ' · cost ' + money(o.cost) +
                '<br>hashrate ' + label(o.hashrate) + ' EH/s (30d ' + label(o.r30) + ', 60d ' + label(o.r60) + ')' +
                '<br>B ' + num(o.b, 1) + ' · R ' + num(o.r, 1) + ' · D ' + num(o.d, 1) +
                (o.br === undefined || o.br === null ? '' : '<br>stated Bₛ ' + num(o.bs, 1) + ' · revealed Bᵣ ' + num(o.br, 1));
              tip.style.display = 'block';
              var left = (cx / W) * p.box.width + 12;
              tip.style.left = Math.min(left, p.box.width - tip.offsetWidth - 4) + 'px';
              tip.style.top = Math.max(0, p.y * p.box.height / H - 20) + 'px';
              root.setAttribute('data-hover-day', day);
              if (dragStart !== null) {
                var a = Math.min(dragStart, p.x), b = Math.max(dragStart, p.x);
                band.setAttribute('x', a); band.setAttribute('width', b - a); band.setAttribute('visibility', 'visible');
              }
            }
            svg.addEventListener('mousemove', hover);
            svg.addEventListener('touchmove', hover, { passive: true });
            svg.addEventListener('mouseleave', function () { cross.setAttribute('visibility', 'hidden'); tip.style.display = 'none'; dragStart = null; band.setAttribute('visibility', 'hidden'); });
            svg.addEventListener('mousedown', function (evt) { var p = local(evt); if (p.x >= L && p.x <= W - R) dragStart = p.x; });
            svg.addEventListener('mouseup', function (evt) {
              if (dragStart === null) return;
              var p = local(evt), a = Math.min(dragStart, p.x), b = Math.max(dragStart, p.x); dragStart = null;
              band.setAttribute('visibility', 'hidden');
              var start = dayOfX(a), end = dayOfX(b);
              if (b - a > 8 && end - start >= 7 * DAY) render(root, data, [Math.round(start / DAY) * DAY, Math.round(end / DAY) * DAY]);
            });
            svg.addEventListener('dblclick', function () { if (range) render(root, data); });
            root.chartState = { from: iso(from), to: iso(to), events: clusters.length, hover: hover, svg: svg };
            return root.chartState;
          }
          return { render: render, label: label, linearTicks: linearTicks, logTicks: logTicks };
        })();
        """#
}
