/**
 * The HTML report's style sheet, inlined into the page: the report loads nothing from anywhere.
 */
export const HTML_STYLE = String.raw`
:root { color-scheme: light dark; --fg: #1d2125; --muted: #5c6670; --bg: #fff; --panel: #f4f6f8; --line: #d8dde2; --accent: #0b5cad;
  --error: #8e24aa; --fail: #c62828; --warn: #b26a00; --manual: #00838f; --info: #1565c0; --skipped: #78909c; --pass: #2e7d32; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e6e9; --muted: #9aa4ad; --bg: #14171a; --panel: #1d2226; --line: #333b42; --accent: #6cb0ff;
    --error: #ce93d8; --fail: #ef5350; --warn: #ffb74d; --manual: #4dd0e1; --info: #64b5f6; --skipped: #90a4ae; --pass: #81c784; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.meta { color: var(--muted); margin: 0 0 1rem; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: .5rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 6rem; }
.card b { display: block; font-size: 1.3rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.chart { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; }
.chart h3 { font-size: .95rem; margin: .2rem 0 .5rem; }
.chart-row { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr 4rem; gap: .5rem; align-items: center; padding: 2px 0; cursor: pointer; border: 0; background: none; color: inherit; font: inherit; text-align: left; width: 100%; }
.chart-row:hover .label, .chart-row:focus .label { text-decoration: underline; }
.chart-row .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chart-row .total { text-align: right; color: var(--muted); }
.bar { display: flex; height: 12px; background: var(--line); border-radius: 3px; overflow: hidden; }
.seg { height: 100%; }
.legend { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .75rem; color: var(--muted); margin-top: .4rem; font-size: .85rem; }
.swatch { display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin-right: .25rem; vertical-align: -1px; }
.s-error { background: var(--error); } .s-fail { background: var(--fail); } .s-warn { background: var(--warn); } .s-manual { background: var(--manual); }
.s-info { background: var(--info); } .s-skipped { background: var(--skipped); } .s-pass { background: var(--pass); }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: flex-end; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.filters fieldset { border: 0; margin: 0; padding: 0; }
.filters legend, .filters label.field { display: block; font-size: .8rem; color: var(--muted); }
.filters fieldset label { margin-right: .6rem; white-space: nowrap; }
.filters input[type=search], .filters select { font: inherit; padding: .2rem .35rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
.filters input[type=search] { width: 14rem; }
.status-line { margin: .6rem 0; color: var(--muted); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \25B2"; font-size: .7em; }
th[aria-sort=descending] button::after { content: " \25BC"; font-size: .7em; }
tbody tr.finding { cursor: pointer; }
tbody tr.finding:hover { background: var(--panel); }
tr.detail td { background: var(--panel); }
tr.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .2rem 0; }
tr.detail dt { color: var(--muted); }
tr.detail dd { margin: 0; white-space: pre-wrap; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; color: #fff; font-size: .8rem; font-weight: 600; text-transform: uppercase; }
.badge.s-warn, .badge.s-skipped { color: #111; }
.sev-critical { font-weight: 700; color: var(--fail); } .sev-high { color: var(--fail); } .sev-medium { color: var(--warn); } .sev-info { color: var(--muted); }
.ignored { color: var(--muted); font-size: .8rem; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
.pager { display: flex; gap: .5rem; align-items: center; margin: .6rem 0; }
.pager button, .pager select { font: inherit; }
.problems li { overflow-wrap: anywhere; }
.extra table { table-layout: auto; }
.col-status { width: 6.5rem; } .col-severity { width: 5.5rem; } .col-rule { width: 14rem; } .col-family { width: 9rem; } .col-target { width: 9rem; }
.col-subject { width: 12rem; } .col-location { width: 10rem; } .col-generic { width: 7rem; }
`;
