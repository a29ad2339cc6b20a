/**
 * The HTML report's script, inlined into the page. It reads the report from the page's JSON
 * block and builds every element with `textContent`: nothing from the report is ever parsed as
 * HTML. Findings are filtered, sorted and shown a page at a time, so a report of tens of
 * thousands stays quick to use.
 *
 * Plain ES2017 in a raw string (no template placeholders, no backquotes inside).
 */
export const HTML_SCRIPT = String.raw`
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var STATUSES = ['error', 'fail', 'warn', 'manual', 'info', 'skipped', 'pass'];
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var FAMILIES = [['host', 'Host configuration'], ['daemon', 'Docker daemon configuration'], ['files', 'Docker daemon configuration files'],
    ['image', 'Container images'], ['container', 'Containers'], ['inventory', 'Docker security operations'], ['swarm', 'Docker Swarm'],
    ['dockerfile', 'Dockerfiles'], ['compose', 'Compose files']];
  // Maps keyed by the report's strings have no prototype: a target or a value named __proto__,
  // constructor or toString is a key like any other.
  function map() { return Object.create(null); }
  var familyTitle = map(); var familyRank = map();
  FAMILIES.forEach(function (entry, index) { familyTitle[entry[0]] = entry[1]; familyRank[entry[0]] = index; });
  var statusRank = rankOf(STATUSES); var severityRank = rankOf(SEVERITIES);
  var NO_TARGET = 'files';

  function rankOf(list) { var ranks = map(); list.forEach(function (item, index) { ranks[item] = index; }); return ranks; }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    if (attributes) Object.keys(attributes).forEach(function (key) {
      if (key === 'text') node.textContent = attributes[key];
      else if (key === 'className') node.className = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child != null) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }
  function show(value) {
    if (value == null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.every(function (item) { return typeof item !== 'object' || item === null; })) return value.join(', ');
    return JSON.stringify(value);
  }
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // The findings, unpacked from their compact rows.
  var rows = data.findings.map(function (packed, index) {
    var rule = data.rules[packed[0]];
    var row = { index: index, rule: rule, status: packed[1], severity: packed[2], kind: packed[3], name: packed[4], id: packed[5],
      file: packed[6], line: packed[7], column: packed[8], message: packed[9], ignored: packed[10], target: packed[11], extra: packed[12] || {} };
    var shown = row.name != null ? row.name : row.id != null ? row.id.slice(0, 12) : row.kind;
    row.subject = (row.kind === 'daemon' || row.kind === 'host' ? '' : row.kind + ' ') + shown;
    row.location = row.file != null ? row.file + ':' + row.line + (row.column ? ':' + row.column : '') : '';
    row.targetLabel = row.target != null ? row.target : NO_TARGET;
    row.subjectKey = row.subject.toLowerCase();
    row.haystack = [rule.id, rule.alias, rule.title, row.message, row.subject, row.id || '', row.location, row.target || '', rule.references.cis.join(' '),
      row.ignored || ''].concat(Object.keys(row.extra).map(function (key) { return show(row.extra[key]); })).join('\n').toLowerCase();
    return row;
  });
  var hasTargets = rows.some(function (row) { return row.target != null; }) || (data.meta.targets || []).length > 0;

  // Extra per-finding fields (a baseline verdict, a fingerprint...): those with a few short values
  // become a column with a filter; the rest are shown in a finding's details.
  var generic = [];
  (function () {
    var values = map();
    rows.forEach(function (row) { Object.keys(row.extra).forEach(function (key) {
      var value = row.extra[key]; var seen = values[key] || (values[key] = map());
      if (seen.tooMany) return;
      var text = typeof value === 'object' && value !== null ? null : show(value);
      if (text === null || text.length > 40) { seen.tooMany = true; return; }
      seen[text] = true;
      if (Object.keys(seen).length > 12) seen.tooMany = true;
    }); });
    Object.keys(values).sort().forEach(function (key) { if (!values[key].tooMany) generic.push({ key: key, values: Object.keys(values[key]).sort() }); });
  })();
  var genericKeys = map(); generic.forEach(function (field) { genericKeys[field.key] = true; });

  // The header: what was audited, the counts, what could not be seen.
  var meta = data.meta;
  var header = document.getElementById('header');
  header.appendChild(el('h1', { text: 'dockaudit report' }));
  var about = ['dockaudit ' + meta.tool.version];
  if (meta.targets && meta.targets.length) about.push(meta.targets.length + ' targets');
  else { about.push(meta.target.dockerHost); if (meta.target.daemonVersion) about.push('Docker ' + meta.target.daemonVersion); about.push('host ' + meta.target.hostname); }
  about.push(meta.target.collectedAt);
  header.appendChild(el('p', { className: 'meta', text: about.join(' \u00b7 ') }));
  var cards = el('div', { className: 'cards', id: 'summary' });
  cards.appendChild(el('div', { className: 'card' }, [el('b', { text: String(meta.summary.total) }), 'findings']));
  STATUSES.forEach(function (status) {
    var count = meta.summary.byStatus[status] || 0;
    if (count > 0) cards.appendChild(el('div', { className: 'card', 'data-status': status }, [el('b', { text: String(count) }), el('span', { className: 'swatch s-' + status }), status]));
  });
  SEVERITIES.forEach(function (severity) {
    var count = meta.summary.failuresBySeverity[severity] || 0;
    if (count > 0) cards.appendChild(el('div', { className: 'card' }, [el('b', { className: 'sev-' + severity, text: String(count) }), 'failing ' + severity]));
  });
  if (meta.summary.suppressed) cards.appendChild(el('div', { className: 'card' }, [el('b', { text: String(meta.summary.suppressed) }), 'ignored']));
  header.appendChild(cards);
  if (meta.incomplete && meta.incomplete.length) {
    header.appendChild(el('h2', { text: 'Incomplete audit' }));
    header.appendChild(el('ul', { className: 'problems' }, meta.incomplete.map(function (reason) { return el('li', { text: reason }); })));
  }
  if (meta.targets && meta.targets.length) {
    header.appendChild(el('h2', { text: 'Targets' }));
    header.appendChild(el('ul', { className: 'problems', id: 'targets' }, meta.targets.map(function (target) {
      var label = target.context != null ? target.context : target.address;
      var parts = [label].concat(target.context != null ? [target.address] : []).concat(target.reachable ? ['Docker ' + target.version, target.name] : ['not audited: ' + target.reason]);
      return el('li', { text: parts.join(' \u00b7 ') });
    })));
  }
  if (data.problems.length) {
    header.appendChild(el('h2', { text: 'Not visible to this audit' }));
    header.appendChild(el('ul', { className: 'problems', id: 'problems' }, data.problems.map(function (problem) {
      return el('li', { text: (problem.target != null ? '[' + problem.target + '] ' : '') + problem.scope + (problem.subject ? ' ' + problem.subject : '') + ': ' + problem.reason });
    })));
  }

  // Other top-level parts of the report (per-control verdicts, a score, resolved findings...), shown as they are.
  var extraSection = document.getElementById('extra');
  Object.keys(data.extra).forEach(function (key) {
    var value = data.extra[key];
    var box = el('section', { className: 'extra', 'data-key': key }, [el('h2', { text: key })]);
    if (Array.isArray(value) && value.length && value.every(function (item) { return item && typeof item === 'object' && !Array.isArray(item); })) {
      var columns = [];
      value.forEach(function (item) { Object.keys(item).forEach(function (column) { if (columns.indexOf(column) < 0) columns.push(column); }); });
      box.appendChild(el('table', null, [
        el('thead', null, [el('tr', null, columns.map(function (column) { return el('th', { text: column }); }))]),
        el('tbody', null, value.map(function (item) { return el('tr', null, columns.map(function (column) { return el('td', { text: show(item[column]) }); })); })),
      ]));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      box.appendChild(el('dl', null, [].concat.apply([], Object.keys(value).map(function (name) { return [el('dt', { text: name }), el('dd', { text: show(value[name]) })]; }))));
    } else {
      box.appendChild(el('p', { className: 'mono', text: show(value) }));
    }
    extraSection.appendChild(box);
  });

  // Filters.
  var state = { statuses: map(), severities: map(), family: '', target: '', generic: map(), subject: '', search: '', ignored: true, sort: 'status', descending: false, page: 0, pageSize: 100, open: map() };
  STATUSES.forEach(function (status) { state.statuses[status] = status !== 'pass'; });
  SEVERITIES.forEach(function (severity) { state.severities[severity] = true; });
  var form = document.getElementById('filters');
  function checkboxes(name, list, chosen, counts) {
    var box = el('fieldset', { id: 'filter-' + name }, [el('legend', { text: name })]);
    list.forEach(function (value) {
      var input = el('input', { type: 'checkbox', name: name, value: value });
      input.checked = chosen[value];
      input.addEventListener('change', function () { chosen[value] = input.checked; update(true); });
      box.appendChild(el('label', null, [input, ' ' + value + ' (' + (counts[value] || 0) + ')']));
    });
    form.appendChild(box);
  }
  function select(name, label, options, onChange) {
    var node = el('select', { id: 'filter-' + name, name: name }, [el('option', { value: '', text: 'all' })].concat(options.map(function (option) {
      return el('option', { value: option[0], text: option[1] });
    })));
    node.addEventListener('change', function () { onChange(node.value); update(true); });
    form.appendChild(el('label', { className: 'field' }, [label, el('br'), node]));
    return node;
  }
  function textInput(name, label, placeholder, onInput) {
    var node = el('input', { type: 'search', id: 'filter-' + name, name: name, placeholder: placeholder, autocomplete: 'off' });
    var timer = 0;
    node.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { onInput(node.value.trim().toLowerCase()); update(true); }, 120); });
    form.appendChild(el('label', { className: 'field' }, [label, el('br'), node]));
    return node;
  }
  function countBy(key) { var counts = map(); rows.forEach(function (row) { counts[row[key]] = (counts[row[key]] || 0) + 1; }); return counts; }
  checkboxes('status', STATUSES, state.statuses, countBy('status'));
  checkboxes('severity', SEVERITIES, state.severities, countBy('severity'));
  var presentFamilies = FAMILIES.filter(function (entry) { return rows.some(function (row) { return row.rule.family === entry[0]; }); });
  var familySelect = select('family', 'section', presentFamilies.map(function (entry) { return [entry[0], entry[1]]; }), function (value) { state.family = value; });
  var targetSelect = null;
  if (hasTargets) {
    var targetLabels = [];
    (meta.targets || []).forEach(function (target) { targetLabels.push(target.context != null ? target.context : target.address); });
    rows.forEach(function (row) { if (targetLabels.indexOf(row.targetLabel) < 0) targetLabels.push(row.targetLabel); });
    targetSelect = select('target', 'target', targetLabels.map(function (label) { return [label, label]; }), function (value) { state.target = value; });
  }
  generic.forEach(function (field) {
    select('extra-' + field.key, field.key, field.values.map(function (value) { return [value, value]; }), function (value) { state.generic[field.key] = value; });
  });
  textInput('subject', 'subject', 'name or id', function (value) { state.subject = value; });
  textInput('search', 'search', 'rule, message, path...', function (value) { state.search = value; });
  var ignoredBox = el('input', { type: 'checkbox', id: 'filter-ignored' });
  ignoredBox.checked = true;
  ignoredBox.addEventListener('change', function () { state.ignored = ignoredBox.checked; update(true); });
  form.appendChild(el('fieldset', null, [el('legend', { text: 'ignored' }), el('label', null, [ignoredBox, ' include ignored findings'])]));

  // The table.
  var columns = [
    { key: 'status', title: 'Status', value: function (row) { return statusRank[row.status]; } },
    { key: 'severity', title: 'Severity', value: function (row) { return severityRank[row.severity]; } },
    { key: 'rule', title: 'Rule', value: function (row) { return row.rule.id; } },
    { key: 'family', title: 'Section', value: function (row) { return familyRank[row.rule.family]; } },
  ];
  if (hasTargets) columns.push({ key: 'target', title: 'Target', value: function (row) { return row.targetLabel; } });
  columns.push({ key: 'subject', title: 'Subject', value: function (row) { return row.subjectKey; } });
  columns.push({ key: 'location', title: 'Location', value: function (row) { return row.file != null ? row.file + '\u0000' + String(1e9 + row.line) : '\uffff'; } });
  generic.forEach(function (field) {
    columns.push({ key: 'extra-' + field.key, title: field.key, generic: true, value: function (row) { return show(row.extra[field.key]); } });
  });
  columns.push({ key: 'message', title: 'Message', value: function (row) { return row.message; } });
  var byKey = map(); columns.forEach(function (column) { byKey[column.key] = column; });

  var table = document.getElementById('findings-table');
  var colgroup = el('colgroup', null, columns.map(function (column) {
    return el('col', { className: column.generic ? 'col-generic' : 'col-' + column.key });
  }));
  table.appendChild(colgroup);
  var headRow = el('tr');
  var headers = map();
  columns.forEach(function (column) {
    var button = el('button', { type: 'button', 'data-sort': column.key, text: column.title });
    button.addEventListener('click', function () {
      if (state.sort === column.key) state.descending = !state.descending; else { state.sort = column.key; state.descending = false; }
      update(true);
    });
    headers[column.key] = el('th', { scope: 'col' }, [button]);
    headRow.appendChild(headers[column.key]);
  });
  table.appendChild(el('thead', null, [headRow]));
  var body = el('tbody');
  table.appendChild(body);
  var statusLine = document.getElementById('status-line');
  var pager = document.getElementById('pager');

  function matches(row) {
    if (!state.statuses[row.status] || !state.severities[row.severity]) return false;
    if (state.family && row.rule.family !== state.family) return false;
    if (state.target && row.targetLabel !== state.target) return false;
    if (!state.ignored && row.ignored != null) return false;
    for (var key in state.generic) if (state.generic[key] && show(row.extra[key]) !== state.generic[key]) return false;
    if (state.subject && row.subjectKey.indexOf(state.subject) < 0 && (row.id || '').toLowerCase().indexOf(state.subject) < 0) return false;
    if (state.search && row.haystack.indexOf(state.search) < 0) return false;
    return true;
  }
  function sorted(list) {
    var value = byKey[state.sort].value; var direction = state.descending ? -1 : 1;
    var keyed = list.map(function (row) { return { row: row, key: value(row) }; });
    keyed.sort(function (a, b) {
      return direction * compare(a.key, b.key) || statusRank[a.row.status] - statusRank[b.row.status] || severityRank[a.row.severity] - severityRank[b.row.severity] ||
        compare(a.row.rule.id, b.row.rule.id) || a.row.index - b.row.index;
    });
    return keyed.map(function (entry) { return entry.row; });
  }

  function detailRow(row) {
    var rule = row.rule;
    var pairs = [['rule', rule.id + ' ' + rule.alias], ['title', rule.title], ['subject', row.subject + (row.id ? ' (' + row.id + ')' : '')]];
    if (row.location) pairs.push(['location', row.location]);
    if (row.target != null) pairs.push(['target', row.target]);
    pairs.push(['message', row.message]);
    if (rule.remediation) pairs.push(['fix', rule.remediation]);
    Object.keys(rule.references).forEach(function (kind) { if (rule.references[kind].length) pairs.push([kind === 'cis' ? 'CIS' : kind, show(rule.references[kind])]); });
    if (row.ignored != null) pairs.push(['ignored', row.ignored]);
    Object.keys(row.extra).forEach(function (key) { pairs.push([key, show(row.extra[key])]); });
    var list = el('dl');
    pairs.forEach(function (pair) { list.appendChild(el('dt', { text: pair[0] })); list.appendChild(el('dd', { text: pair[1] })); });
    return el('tr', { className: 'detail' }, [el('td', { colspan: String(columns.length) }, [list])]);
  }
  function findingRow(row) {
    var cells = {
      status: el('td', null, [el('span', { className: 'badge s-' + row.status, text: row.status })].concat(row.ignored != null ? [el('br'), el('span', { className: 'ignored', text: 'ignored' })] : [])),
      severity: el('td', { className: 'sev-' + row.severity, text: row.severity }),
      rule: el('td', null, [el('span', { className: 'mono', text: row.rule.id }), ' ' + row.rule.title]),
      family: el('td', { text: familyTitle[row.rule.family] || row.rule.family }),
      target: el('td', { text: row.targetLabel }),
      subject: el('td', { className: 'subject', text: row.subject }),
      location: el('td', { className: 'mono', text: row.location }),
      message: el('td', { className: 'message', text: row.message }),
    };
    var tr = el('tr', { className: 'finding', 'data-index': String(row.index), 'data-status': row.status, 'data-severity': row.severity, 'data-family': row.rule.family, tabindex: '0' },
      columns.map(function (column) { return cells[column.key] || el('td', { text: show(row.extra[column.key.slice(6)]) }); }));
    function toggle() { state.open[row.index] = !state.open[row.index]; update(false); }
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); toggle(); } });
    return tr;
  }

  function chart(container, title, groups, onPick) {
    var box = el('div', { className: 'chart' }, [el('h3', { text: title })]);
    var largest = 0;
    groups.forEach(function (group) { largest = Math.max(largest, group.total); });
    groups.forEach(function (group) {
      var bar = el('span', { className: 'bar' });
      STATUSES.forEach(function (status) {
        var count = group.counts[status] || 0;
        if (!count) return;
        var segment = el('span', { className: 'seg s-' + status, title: count + ' ' + status });
        segment.style.width = (100 * count / largest) + '%';
        bar.appendChild(segment);
      });
      var row = el('button', { type: 'button', className: 'chart-row', 'data-key': group.key }, [el('span', { className: 'label', text: group.label }), bar, el('span', { className: 'total', text: String(group.total) })]);
      row.addEventListener('click', function () { onPick(group.key); });
      box.appendChild(row);
    });
    if (!groups.length) box.appendChild(el('p', { className: 'meta', text: 'no findings match the filters' }));
    container.appendChild(box);
  }
  function groupsOf(list, keyOf, labelOf, order) {
    var groups = map();
    list.forEach(function (row) {
      var key = keyOf(row); var group = groups[key] || (groups[key] = { key: key, label: labelOf(key), counts: map(), total: 0 });
      group.counts[row.status] = (group.counts[row.status] || 0) + 1; group.total += 1;
    });
    return Object.keys(groups).sort(function (a, b) { return order(a) - order(b) || compare(a, b); }).map(function (key) { return groups[key]; });
  }
  var charts = document.getElementById('charts');
  function drawCharts(list) {
    charts.textContent = '';
    chart(charts, 'By section', groupsOf(list, function (row) { return row.rule.family; }, function (key) { return familyTitle[key] || key; }, function (key) { return familyRank[key]; }),
      function (key) { state.family = state.family === key ? '' : key; familySelect.value = state.family; update(true); });
    if (hasTargets) {
      var targetOrder = map(); (meta.targets || []).forEach(function (target, index) { targetOrder[target.context != null ? target.context : target.address] = index; });
      chart(charts, 'By target', groupsOf(list, function (row) { return row.targetLabel; }, function (key) { return key; }, function (key) { return key in targetOrder ? targetOrder[key] : 1e6; }),
        function (key) { state.target = state.target === key ? '' : key; targetSelect.value = state.target; update(true); });
    }
    var legend = el('div', { className: 'legend' }, STATUSES.map(function (status) { return el('span', null, [el('span', { className: 'swatch s-' + status }), status]); }));
    charts.appendChild(legend);
  }

  var current = [];
  var pageSizeSelect = el('select', { id: 'page-size' }, [50, 100, 200, 500].map(function (size) { return el('option', { value: String(size), text: size + ' per page' }); }));
  pageSizeSelect.value = String(state.pageSize);
  pageSizeSelect.addEventListener('change', function () { state.pageSize = Number(pageSizeSelect.value); update(true); });
  var pageButtons = map();
  ['first', 'previous', 'next', 'last'].forEach(function (name) {
    pageButtons[name] = el('button', { type: 'button', id: 'page-' + name, text: name });
    pageButtons[name].addEventListener('click', function () {
      var last = Math.max(0, Math.ceil(current.length / state.pageSize) - 1);
      state.page = name === 'first' ? 0 : name === 'last' ? last : name === 'previous' ? Math.max(0, state.page - 1) : Math.min(last, state.page + 1);
      update(false);
    });
  });
  var pageLabel = el('span', { id: 'page-label' });
  [pageButtons.first, pageButtons.previous, pageLabel, pageButtons.next, pageButtons.last, pageSizeSelect].forEach(function (node) { pager.appendChild(node); });

  function update(refilter) {
    if (refilter) {
      current = sorted(rows.filter(matches));
      state.page = 0;
      drawCharts(current);
    }
    columns.forEach(function (column) {
      if (column.key === state.sort) headers[column.key].setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
      else headers[column.key].removeAttribute('aria-sort');
    });
    var pages = Math.max(1, Math.ceil(current.length / state.pageSize));
    var start = state.page * state.pageSize;
    var shown = current.slice(start, start + state.pageSize);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) { fragment.appendChild(findingRow(row)); if (state.open[row.index]) fragment.appendChild(detailRow(row)); });
    body.textContent = '';
    body.appendChild(fragment);
    statusLine.textContent = current.length === 0 ? 'No findings match (of ' + rows.length + ').' :
      'Showing ' + (start + 1) + '\u2013' + (start + shown.length) + ' of ' + current.length + ' matching findings (of ' + rows.length + ').';
    statusLine.setAttribute('data-matching', String(current.length));
    pageLabel.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    pageButtons.first.disabled = pageButtons.previous.disabled = state.page === 0;
    pageButtons.next.disabled = pageButtons.last.disabled = state.page >= pages - 1;
  }

  update(true);
  document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
