import Foundation
import Reporting

/// The dashboard `divergence serve` answers at `/`: one self-contained page (HTML, CSS and JS built into the binary, no
/// external resources) that reads the API — `/v1/divergence/latest`, `/v1/chart`, `/v1/sources` — with the browser's
/// credentials (the login cookie, when a token is required).
enum Dashboard {
    /// Content-Security-Policy of the dashboard and login pages: nothing but this origin and the inline page.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The login form shown at `/` when a token is required and the browser has not sent it.
    static func loginPage(wrongToken: Bool) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>divergence — sign in</title><style>\(InteractiveChart.style)
        form{max-width:360px;margin:15vh auto;display:flex;flex-direction:column;gap:10px}input,button{font-size:16px;padding:8px}
        .error{color:#b03a2e}</style></head>
        <body><form method="post" action="/login"><h1>divergence</h1>
        <label for="token">API token (the first line of the server's --token-file)</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        \(wrongToken ? "<p class=\"error\" id=\"login-error\">That token is not the server's.</p>" : "")
        <button type="submit">Sign in</button></form></body></html>
        """
    }

    /// The dashboard page.
    static let page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>divergence</title><style>\(InteractiveChart.style)\(pageStyle)</style></head>
        <body><main class="page">
        <header><h1>divergence</h1><span id="as-of" class="muted"></span></header>
        <p id="verdict" class="verdict">Loading…</p>
        <section class="scores">
          <div class="score"><div class="name">D · divergence</div><div id="d-value" class="value">—</div><div id="d-label" class="muted"></div></div>
          <div class="score"><div class="name">B · institutional bullishness</div><div id="b-value" class="value">—</div><div id="b-note" class="muted"></div><div id="b-sides" class="muted"></div><div id="b-voices" class="muted"></div></div>
          <div class="score"><div class="name">R · technical regime</div><div id="r-value" class="value">—</div><div id="r-label" class="muted"></div></div>
        </section>
        <section><h2>Chart</h2><div id="chart" class="chart"></div><p id="probe" class="muted"></p></section>
        <section class="columns">
          <div><h2>B's components</h2><table id="b-components"><thead><tr><th>component</th><th>weight</th><th>value</th><th>evidence</th></tr></thead><tbody></tbody></table></div>
          <div><h2>R's signals</h2><table id="r-signals"><thead><tr><th>signal</th><th>weight</th><th>score</th><th>reading</th></tr></thead><tbody></tbody></table></div>
        </section>
        <section><h2>Market events</h2><table id="events"><thead><tr><th>day</th><th>event</th><th>detail</th></tr></thead><tbody></tbody></table></section>
        <section><h2>Sources</h2><table id="sources"><thead><tr><th>source</th><th>kind</th><th>status</th><th>last success</th><th>data age</th></tr></thead><tbody></tbody></table>
          <p id="series" class="muted"></p></section>
        <pre id="errors" class="errors"></pre>
        </main>
        <script>\(InteractiveChart.script)\(pageScript)</script>
        </body></html>
        """

    static let pageStyle = #"""
        header{display:flex;align-items:baseline;gap:14px;flex-wrap:wrap}h1{font-size:22px;margin:6px 0}h2{font-size:16px;margin:18px 0 6px}
        .muted{color:#666;font-size:13px}.verdict{font-size:17px;font-weight:600;line-height:1.35}
        .scores{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:10px}
        .score{border:1px solid #ddd;border-radius:6px;padding:10px}.score .name{font-size:13px;color:#444}.score .value{font-size:30px;font-weight:700}
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b03a2e}.good{color:#1e8449}
        .errors{color:#b03a2e;white-space:pre-wrap}.errors:empty{display:none}
        """#

    static let pageScript = #"""
        (function () {
          'use strict';
          var errors = document.getElementById('errors');
          function fail(message) { errors.textContent += message + '\n'; }
          window.addEventListener('error', function (e) { fail('error: ' + e.message); });
          window.addEventListener('unhandledrejection', function (e) { fail('error: ' + (e.reason && e.reason.message || e.reason)); });
          function get(path) {
            return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
              if (r.status === 401) { location.reload(); throw new Error('signed out'); }
              if (!r.ok) return r.json().then(function (b) { throw new Error(path + ': ' + (b.error || r.status)); }, function () { throw new Error(path + ': HTTP ' + r.status); });
              return r.json();
            });
          }
          function text(id, value) { document.getElementById(id).textContent = value; }
          function fixed(v) { return v === null || v === undefined || !isFinite(v) ? '—' : (v > 0 ? '+' : '') + (+v).toFixed(1); }
          function row(table, cells) {
            var tr = document.createElement('tr');
            cells.forEach(function (c) { var td = document.createElement('td'); td.textContent = c[0]; if (c[1]) td.className = c[1]; tr.appendChild(td); });
            document.querySelector('#' + table + ' tbody').appendChild(tr);
          }
          function age(seconds) {
            if (seconds === null || seconds === undefined) return '—';
            if (seconds < 3600) return Math.round(seconds / 60) + ' min';
            if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
            return Math.round(seconds / 86400) + ' days';
          }
          get('/v1/divergence/latest').then(function (report) {
            text('verdict', report.verdict || '');
            text('as-of', 'as of ' + report.as_of);
            var d = report.divergence || {}, b = report.bullishness || {}, r = report.regime || {};
            text('d-value', fixed(d.value)); text('d-label', (d.label || '') + (d.percentile !== null && d.percentile !== undefined ? ' · percentile ' + Math.round(d.percentile) : ''));
            text('b-value', fixed(b.score)); text('b-note', (b.retail || []).map(function (x) { return x.survey + ' net ' + (x.net_bullish * 100).toFixed(0) + '%'; }).join(' · '));
            var sides = b.stated_revealed;
            text('b-sides', sides && sides.revealed ? 'stated Bₛ ' + fixed(sides.stated) + ' · revealed Bᵣ ' + fixed(sides.revealed.score) + (sides.gap ? ' — ' + sides.gap.summary : '') : '');
            text('b-voices', (b.voices || []).length ? 'beside B, not in it: ' + b.voices.map(function (v) { return v.speaker_type + ' ' + fixed(v.score) + ' (' + v.count + ')'; }).join(' · ') : '');
            text('r-value', fixed(r.score)); text('r-label', r.label || '');
            (b.components || []).forEach(function (c) {
              row('b-components', [[c.name], [(+c.weight).toFixed(2), 'num'], [fixed(c.value), 'num'],
                [(c.evidence || []).slice(0, 3).map(function (e) { return (e.date || '').slice(0, 10) + ' ' + (e.text || e.reference || ''); }).join(' | ') || c.explanation || '']]);
            });
            (r.signals || []).forEach(function (s) {
              row('r-signals', [[s.name], [(+s.weight).toFixed(2), 'num'], [s.score === null || s.score === undefined ? '—' : (+s.score).toFixed(2), 'num ' + (s.score < 0 ? 'bad' : 'good')], [s.explanation || '']]);
            });
          }).catch(function (e) { fail(e.message); text('verdict', 'The report could not be loaded: ' + e.message); });
          get('/v1/chart').then(function (data) {
            var state = DivergenceChart.render(document.getElementById('chart'), data);
            data.events.slice().reverse().forEach(function (e) { row('events', [[e.day], [e.code + ' ' + e.meaning, e.bearish ? 'bad' : 'good'], [e.detail]]); });
            if (/[?&]probe=hover\b/.test(location.search)) {
              // A check for tests in a real browser: move the pointer to the middle of the price panel, report the tooltip.
              var box = state.svg.getBoundingClientRect();
              state.svg.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + box.width / 2, clientY: box.top + box.height * 0.2, bubbles: true }));
              var tip = document.querySelector('#chart .tip');
              text('probe', (tip && tip.style.display === 'block' ? tip.textContent : 'no tooltip') + ' | day ' + document.getElementById('chart').getAttribute('data-hover-day'));
            }
          }).catch(function (e) { fail(e.message); });
          get('/v1/sources').then(function (list) {
            list.sources.forEach(function (s) {
              var status = s.disabled ? 'disabled' : s.consecutive_failures > 0 ? 'failing ×' + s.consecutive_failures + (s.last_error ? ': ' + s.last_error : '') : (s.last_status ? 'ok (' + s.last_status + ')' : 'not fetched yet');
              row('sources', [[s.name], [s.kind], [status, s.consecutive_failures > 0 || s.disabled ? 'bad' : ''], [s.last_success || '—'], [age(s.age_seconds)]]);
            });
            text('series', list.series.map(function (x) { return x.series + ': last day ' + (x.last_day || '—') + (x.age_days !== null && x.age_days !== undefined ? ' (' + x.age_days + ' days old)' : ''); }).join(' · '));
          }).catch(function (e) { fail(e.message); });
        })();
        """#
}
