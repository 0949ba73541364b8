// Itembank's dashboard: a single page over the public REST API. Every text from the API is put into the page as
// text (textContent), never as markup; chart tooltips escape it. The API key stays in this tab's session storage.
'use strict';

const KEY = 'itembank.key';
const ROLE = 'itembank.role';
const main = document.getElementById('main');
const statusLine = document.getElementById('status');
let charts = [];

// ---- small DOM helpers ------------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
    "'": '&#39;'}[c]));
}

function number(value, digits = 4) {
  return typeof value === 'number' && isFinite(value) ? value.toFixed(digits) : '';
}

function say(message, isError) {
  statusLine.textContent = message || '';
  statusLine.className = isError ? 'error' : '';
}

function isWriter() {
  return ['writer', 'admin'].includes(sessionStorage.getItem(ROLE));
}

// ---- the API ----------------------------------------------------------------------------------------------------

async function api(path, options = {}) {
  const headers = Object.assign({'Accept': 'application/json'}, options.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers['Authorization'] = 'Bearer ' + key;
  const response = await fetch(path, Object.assign({}, options, {headers}));
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = typeof body === 'object' ? (body.detail || body.title) : body;
    const error = new Error(response.status + ': ' + detail);
    error.status = response.status;
    throw error;
  }
  return body;
}

function postJson(path, body) {
  return api(path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
}

// ---- charts -----------------------------------------------------------------------------------------------------

function chart(container, option, points) {
  container.setAttribute('data-points', String(points));
  const instance = echarts.init(container, null, {renderer: 'svg'});
  instance.setOption(Object.assign({animation: false, aria: {enabled: true}}, option));
  charts.push(instance);
  return instance;
}

window.addEventListener('resize', () => charts.forEach(c => c.resize()));

// ---- pages ------------------------------------------------------------------------------------------------------

function page(title, ...content) {
  charts.forEach(c => c.dispose());
  charts = [];
  main.replaceChildren(el('h2', {text: title}), ...content);
  document.title = title + ' - Itembank';
}

function keyForm() {
  const input = el('input', {id: 'key', type: 'password', autocomplete: 'off', 'aria-describedby': 'key-help',
    size: 48});
  const form = el('form', {id: 'key-form', onsubmit: async event => {
      event.preventDefault();
      sessionStorage.setItem(KEY, input.value.trim());
      try {
        const caller = await api('/api/v1/me');
        sessionStorage.setItem(ROLE, caller.role);
        say('');
        route();
      } catch (error) {
        sessionStorage.removeItem(KEY);
        say('That key was not accepted (' + error.message + ')', true);
      }
    }},
    el('label', {for: 'key', text: 'API key'}), input,
    el('p', {id: 'key-help', text: 'The key stays in this browser tab (session storage) and is sent only to this '
      + 'service, in the Authorization header.'}),
    el('button', {type: 'submit', id: 'use-key', text: 'Use key'}));
  page('Sign in with an API key', form);
  input.focus();
}

async function benchmarks() {
  const list = await api('/api/v1/benchmarks');
  const rows = list.map(b => el('tr', {},
    el('td', {}, el('a', {href: '#/benchmarks/' + encodeURIComponent(b.name), text: b.name})),
    el('td', {text: b.description || ''}), el('td', {class: 'number', text: b.latestVersion}),
    el('td', {class: 'number', text: b.items})));
  page('Benchmarks', el('table', {id: 'benchmarks'}, el('caption', {text: list.length + ' benchmarks'}),
    el('thead', {}, el('tr', {}, ['Name', 'Description', 'Latest version', 'Items'].map(h =>
      el('th', {scope: 'col', text: h})))), el('tbody', {}, rows)));
}

function sortableTable(id, caption, columns, rows) {
  const body = el('tbody');
  let order = {index: -1, ascending: true};
  const render = () => body.replaceChildren(...rows.map(row => el('tr', {}, columns.map((c, i) =>
    el('td', {class: c.number ? 'number' : null, text: c.format ? c.format(row[i]) : row[i] ?? ''})))));
  const headers = columns.map((c, i) => el('th', {scope: 'col', class: c.number ? 'number' : null,
    'aria-sort': 'none'}, el('button', {type: 'button', text: c.label, onclick: event => {
      order = {index: i, ascending: order.index === i ? !order.ascending : !c.number};
      rows.sort((a, b) => (a[i] > b[i] ? 1 : a[i] < b[i] ? -1 : 0) * (order.ascending ? 1 : -1));
      headers.forEach(h => h.setAttribute('aria-sort', 'none'));
      event.target.closest('th').setAttribute('aria-sort', order.ascending ? 'ascending' : 'descending');
      render();
    }})));
  render();
  return el('table', {id}, el('caption', {text: caption}), el('thead', {}, el('tr', {}, headers)), body);
}

async function benchmark(name) {
  const path = '/api/v1/benchmarks/' + encodeURIComponent(name);
  const [versions, calibrations, subsets] = await Promise.all([api(path + '/versions'),
    api(path + '/calibrations'), api(path + '/subsets')]);
  const content = [];
  content.push(el('table', {id: 'versions'}, el('caption', {text: 'Versions (upload history)'}),
    el('thead', {}, el('tr', {}, ['Version', 'Models', 'Items', 'Scenarios', 'Why', 'Created'].map(h =>
      el('th', {scope: 'col', text: h})))),
    el('tbody', {}, versions.map(v => el('tr', {}, el('td', {class: 'number', text: v.version}),
      el('td', {class: 'number', text: v.models}), el('td', {class: 'number', text: v.items}),
      el('td', {text: Object.entries(v.scenarios || {}).map(([s, n]) => s + ' ' + n).join(', ')}),
      el('td', {text: v.reason || ''}), el('td', {text: v.createdAt}))))));
  if (versions.length) {
    const latest = await api(path + '/versions/latest');
    const rows = (latest.modelScores || []).map(m => [m.model, m.answered, m.meanScore]);
    content.push(sortableTable('models', 'Models of version ' + latest.version + ' (sort by any column)', [
      {label: 'Model'}, {label: 'Answered', number: true}, {label: 'Mean score', number: true, format: number}],
      rows));
  }
  content.push(el('h3', {text: 'Calibrations'}), el('ul', {id: 'calibrations'}, calibrations.map(c =>
    el('li', {}, el('a', {href: '#/calibrations/' + c.id, text: 'Calibration ' + c.version}),
      ' ' + c.model + ', D = ' + c.dimensions + ', dataset version ' + c.datasetVersion))));
  content.push(el('h3', {text: 'Subsets'}), el('ul', {id: 'subsets'}, subsets.map(s =>
    el('li', {}, el('a', {href: '#/subsets/' + s.id, text: 'Subset ' + s.version}),
      ' ' + s.method + ', ' + s.totalItems + ' items'))));
  if (isWriter()) {
    content.push(writerForms(name, calibrations));
  }
  page('Benchmark ' + name, ...content);
}

function writerForms(name, calibrations) {
  const model = el('select', {id: 'calibration-model'}, ['2pl', 'mirt', '1pl', '3pl', '4pl'].map(m =>
    el('option', {value: m, text: m})));
  const method = el('select', {id: 'subset-method'}, ['auto', 'random', 'stratified', 'anchor-irt',
    'anchor-correctness', 'information', 'genetic', 'rank-correlation', 'stepwise'].map(m => el('option', {value: m, text: m})));
  const perScenario = el('input', {id: 'subset-items', type: 'number', min: 1, value: 10});
  const heldOut = el('input', {id: 'held-out', type: 'text', size: 40, placeholder: 'model names, comma-separated'});
  const queue = async (path, body) => {
    try {
      const job = await postJson(path, body);
      location.hash = '#/jobs/' + job.job;
    } catch (error) {
      say(error.message, true);
    }
  };
  const base = '/api/v1/benchmarks/' + encodeURIComponent(name);
  return el('div', {class: 'panel'}, el('h3', {text: 'Queue a job'}),
    el('div', {class: 'row'},
      el('div', {}, el('label', {for: 'calibration-model', text: 'Item model'}), model),
      el('div', {}, el('label', {for: 'held-out', text: 'Held-out models (backtest)'}), heldOut),
      el('button', {type: 'button', id: 'calibrate', text: 'Calibrate', onclick: () => queue(base + '/calibrations',
        {model: model.value, heldOutModels: heldOut.value.split(',').map(s => s.trim()).filter(Boolean)})})),
    el('div', {class: 'row'},
      el('div', {}, el('label', {for: 'subset-method', text: 'Selection method'}), method),
      el('div', {}, el('label', {for: 'subset-items', text: 'Items per scenario'}), perScenario),
      el('button', {type: 'button', id: 'select-subset', text: 'Select a subset', disabled: !calibrations.length,
        onclick: () => queue(base + '/subsets', {method: method.value, itemsPerScenario: Number(perScenario.value),
          seed: 0})})));
}

async function job(id) {
  const progress = el('progress', {id: 'job-progress', max: 1, value: 0, 'aria-label': 'Job progress'});
  const state = el('p', {id: 'job-state', 'aria-live': 'polite'});
  const result = el('p', {id: 'job-result'});
  const cancel = el('button', {type: 'button', id: 'cancel-job', class: 'secondary', text: 'Cancel job',
    hidden: !isWriter(), onclick: async () => {
      try {
        await api('/api/v1/jobs/' + id, {method: 'DELETE'});
      } catch (error) {
        say(error.message, true);
      }
    }});
  page('Job ' + id, progress, state, cancel, result);
  const show = j => {
    progress.value = j.progress || 0;
    state.textContent = j.type + ': ' + j.state + (j.message ? ' - ' + j.message : '');
    state.setAttribute('data-state', j.state);
    if (['succeeded', 'failed', 'cancelled'].includes(j.state)) {
      cancel.hidden = true;
      if (j.result) {
        const target = j.result.replace('/api/v1/', '#/');
        result.replaceChildren(el('a', {id: 'job-result-link', href: target, text: 'Open the result'}));
      } else if (j.error) {
        result.replaceChildren(el('span', {class: 'error', text: JSON.stringify(j.error)}));
      }
      return true;
    }
    return false;
  };
  if (show(await api('/api/v1/jobs/' + id))) return;
  await follow(id, show);
}

/** Follows a job's server-sent events (fetch, so that the key goes in a header); polls if the stream breaks. */
async function follow(id, show) {
  const current = location.hash;
  try {
    const response = await fetch('/api/v1/jobs/' + id + '/events', {headers: {'Accept': 'text/event-stream',
      'Authorization': 'Bearer ' + sessionStorage.getItem(KEY)}});
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (location.hash === current) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.substring(0, end);
        buffer = buffer.substring(end + 2);
        const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.substring(5).trim()).join('');
        if (data && show(JSON.parse(data))) return reader.cancel();
      }
    }
  } catch (error) {
    // fall back to polling below
  }
  while (location.hash === current) {
    if (show(await api('/api/v1/jobs/' + id))) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

function slopes(item) {
  const a = Array.isArray(item.a) ? item.a : [item.a];
  return a;
}

/** P(correct | theta) along the first dimension (the others at 0), with the item's guessing and upper asymptotes. */
function probability(item, theta) {
  const a = slopes(item)[0];
  const g = item.g ?? 0;
  const u = item.u ?? 1;
  return g + (u - g) / (1 + Math.exp(-(a * theta + item.d)));
}

async function calibration(id) {
  const c = await api('/api/v1/calibrations/' + id);
  const items = await api('/api/v1/benchmarks/' + encodeURIComponent(c.benchmark) + '/versions/' + c.datasetVersion
    + '/items');
  const text = new Map(items.map(i => [i.itemId, i.text]));
  const kept = c.items.filter(i => !i.dropped);
  const scenarios = [...new Set(kept.map(i => i.scenario))];
  const map = el('div', {id: 'item-map', class: 'chart', role: 'img',
    'aria-label': 'Item map: difficulty against discrimination, ' + kept.length + ' items'});
  const information = el('div', {id: 'information', class: 'chart', role: 'img',
    'aria-label': 'Test information per scenario'});
  const abilities = el('div', {id: 'abilities', class: 'chart', role: 'img',
    'aria-label': 'Ability distribution of the models'});
  const dropped = c.items.filter(i => i.dropped).map(i => i.itemId);
  const diagnostics = el('table', {id: 'diagnostics'}, el('caption', {text: 'Fit diagnostics'}),
    el('tbody', {}, flatten(c.diagnostics || {}).map(([k, v]) => el('tr', {}, el('th', {scope: 'row', text: k}),
      el('td', {text: v})))));
  const itemTable = el('div', {class: 'scroll'}, el('table', {id: 'items'}, el('caption', {text: 'Items'}),
    el('thead', {}, el('tr', {}, ['Item', 'Scenario', 'Text'].map(h => el('th', {scope: 'col', text: h})))),
    el('tbody', {}, kept.slice(0, 500).map(i => el('tr', {}, el('td', {text: i.itemId}),
      el('td', {text: i.scenario}), el('td', {class: 'item-text', text: text.get(i.itemId) || ''}))))));
  page('Calibration ' + c.version + ' of ' + c.benchmark,
    el('p', {text: c.model + ', D = ' + c.dimensions + ', dataset version ' + c.datasetVersion + ', held-out models: '
      + ((c.heldOutModels || []).join(', ') || 'none')}),
    el('div', {class: 'grid'}, map, information), el('div', {class: 'grid'}, abilities, diagnostics),
    el('p', {text: dropped.length ? 'Dropped by preprocessing: ' + dropped.join(', ') : 'No item was dropped.'}),
    itemTable);
  chart(map, {
    title: {text: 'Item map'}, legend: {top: 25},
    tooltip: {formatter: p => '<b>' + escapeHtml(p.data.id) + '</b><br>' + escapeHtml(p.data.text || '')},
    xAxis: {name: 'difficulty (-d / |a|)', nameLocation: 'middle', nameGap: 25},
    yAxis: {name: 'discrimination |a|'},
    series: scenarios.map(s => ({name: s, type: 'scatter', symbolSize: 6, data: kept.filter(i => i.scenario === s)
      .map(i => {
        const a = Math.hypot(...slopes(i));
        return {value: [-i.d / Math.max(a, 1e-6), a], id: i.itemId, text: text.get(i.itemId)};
      })}))}, kept.length);
  const grid = Array.from({length: 81}, (_, k) => -4 + k * 0.1);
  chart(information, {
    title: {text: 'Test information'}, legend: {top: 25}, tooltip: {trigger: 'axis'},
    xAxis: {type: 'value', name: 'ability (dimension 1)', nameLocation: 'middle', nameGap: 25}, yAxis: {},
    series: scenarios.map(s => ({name: s, type: 'line', showSymbol: false, data: grid.map(t => {
      let total = 0;
      for (const i of kept) {
        if (i.scenario !== s) continue;
        const p = probability(i, t);
        const a = slopes(i)[0];
        const g = i.g ?? 0;
        const u = i.u ?? 1;
        const dp = a * (p - g) * (u - p) / (u - g);
        total += dp * dp / Math.max(p * (1 - p), 1e-12);
      }
      return [t, total];
    })}))}, scenarios.length);
  const theta = (c.abilities || []).map(a => a.theta[0]);
  const bins = histogram(theta, 20);
  chart(abilities, {title: {text: 'Abilities of the models'}, tooltip: {},
    xAxis: {type: 'category', data: bins.labels, name: 'ability'}, yAxis: {name: 'models'},
    series: [{type: 'bar', data: bins.counts}]}, theta.length);
}

function flatten(object, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(object)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...flatten(v, prefix + k + '.'));
    else out.push([prefix + k, Array.isArray(v) ? v.join(', ') : String(v)]);
  }
  return out.slice(0, 200);
}

function histogram(values, count) {
  if (!values.length) return {labels: [], counts: []};
  const low = Math.min(...values);
  const high = Math.max(...values);
  const width = (high - low) / count || 1;
  const counts = new Array(count).fill(0);
  values.forEach(v => counts[Math.min(count - 1, Math.floor((v - low) / width))]++);
  return {labels: counts.map((_, k) => (low + (k + 0.5) * width).toFixed(2)), counts};
}

async function subset(id) {
  const s = await api('/api/v1/subsets/' + id);
  const backtest = s.backtest || {};
  const points = (backtest.heldOut && backtest.heldOut.overall) || [];
  const plot = el('div', {id: 'backtest', class: 'chart', role: 'img',
    'aria-label': 'Backtest: estimated against true full score of ' + points.length + ' held-out models'});
  const errors = el('div', {id: 'estimator-errors', class: 'chart', role: 'img',
    'aria-label': 'Cross-validated error of each estimator'});
  // auto's comparison: each method's cross-validated error, and its error beyond the training models (fitted on
  // the weaker half, read on the strongest 30%) where there were enough models for that backtest
  const crossValidated = (s.diagnostics && s.diagnostics.autoCandidates) || {};
  const beyond = (s.diagnostics && s.diagnostics.autoCandidatesBeyond) || {};
  const compared = Object.keys(crossValidated);
  const series = [{name: 'cross-validated', type: 'bar', data: compared.map(m => crossValidated[m])}];
  if (Object.keys(beyond).length) {
    const limit = s.diagnostics.autoBeyondLimit;
    series.push({name: 'beyond the training models', type: 'bar', data: compared.map(m => beyond[m] ?? null),
      markLine: typeof limit === 'number' ? {symbol: 'none', label: {formatter: 'out above ' + number(limit, 3)},
        lineStyle: {type: 'dashed', color: '#b03a2e'}, data: [{yAxis: limit}]} : undefined});
  }
  const methods = el('div', {id: 'method-errors', class: 'chart', role: 'img', hidden: !compared.length,
    'data-series': String(series.length),
    'aria-label': 'Error of each method auto compared: cross-validated, and beyond the training models'});
  const samples = el('pre', {id: 'lm-eval-output', hidden: true});
  const exportButtons = el('div', {class: 'row'},
    el('button', {type: 'button', id: 'lm-eval-samples', class: 'secondary', text: 'lm-eval --samples',
      onclick: () => reveal('?format=lm-eval')}),
    el('button', {type: 'button', id: 'lm-eval-command', class: 'secondary', text: 'lm_eval command line',
      onclick: () => reveal('?format=lm-eval-command')}));
  async function reveal(query) {
    try {
      const body = await api('/api/v1/subsets/' + id + query, {headers: {'Accept': query.endsWith('command')
        ? 'text/plain' : 'application/json'}});
      samples.textContent = typeof body === 'string' ? body : JSON.stringify(body);
      samples.hidden = false;
    } catch (error) {
      samples.textContent = error.message;
      samples.hidden = false;
    }
  }
  const itemTable = el('div', {class: 'scroll'}, el('table', {id: 'subset-items'},
    el('caption', {text: s.items.length + ' items'}),
    el('thead', {}, el('tr', {}, ['Item', 'Scenario', 'Weight'].map(h => el('th', {scope: 'col', text: h})))),
    el('tbody', {}, s.items.map(i => el('tr', {}, el('td', {text: i.itemId}), el('td', {text: i.scenario}),
      el('td', {class: 'number', text: number(i.weight)}))))));
  page('Subset ' + s.version + ' of ' + s.benchmark,
    el('p', {text: s.method + ', ' + s.totalItems + ' items, calibration ', }, el('a', {href: '#/calibrations/'
      + s.calibration, text: s.calibration})),
    el('div', {class: 'grid'}, plot, errors), methods, el('h3', {text: 'Run it with lm-evaluation-harness'}),
    exportButtons,
    samples, estimateForm(s), itemTable);
  const xs = points.map(p => p.truth);
  const low = Math.min(0, ...xs);
  chart(plot, {
    title: {text: 'Backtest (held-out models)'}, tooltip: {formatter: p => escapeHtml(p.data.model || '')
      + (p.data.value ? '<br>true ' + number(p.data.value[0], 3) + ', estimated ' + number(p.data.value[1], 3) : '')},
    xAxis: {name: 'true full score', nameLocation: 'middle', nameGap: 25, min: 'dataMin', max: 'dataMax'},
    yAxis: {name: 'estimated', min: 'dataMin', max: 'dataMax'},
    series: [{name: 'estimate', type: 'scatter', data: points.map(p => ({value: [p.truth, p.estimate],
      model: p.model}))},
      {name: 'interval', type: 'custom', renderItem: (params, api) => {
        const top = api.coord([api.value(0), api.value(2)]);
        const bottom = api.coord([api.value(0), api.value(1)]);
        return {type: 'line', shape: {x1: top[0], y1: top[1], x2: bottom[0], y2: bottom[1]},
          style: {stroke: '#4a5561', lineWidth: 1}};
      }, data: points.map(p => [p.truth, p.lower, p.upper])},
      {name: 'y = x', type: 'line', showSymbol: false, data: [[low, low], [1, 1]],
        lineStyle: {type: 'dashed', color: '#888'}}]}, points.length);
  if (compared.length) {
    const chosen = (s.parameters && s.parameters.chosen) || s.method;
    chart(methods, {title: {text: 'Methods auto compared (' + s.totalItems + ' items, chose ' + chosen + ')'},
      tooltip: {}, legend: {top: 24}, grid: {top: 64},
      xAxis: {type: 'category', data: compared, axisLabel: {rotate: 30}}, yAxis: {name: 'mean absolute error'},
      series}, compared.length);
  }
  const cv = backtest.crossValidatedMae || {};
  const names = Object.keys(cv);
  chart(errors, {title: {text: 'Cross-validated error by estimator'}, tooltip: {},
    xAxis: {type: 'category', data: names, axisLabel: {rotate: 30}}, yAxis: {name: 'mean absolute error'},
    series: [{type: 'bar', data: names.map(n => {
      const values = Object.values(cv[n]).filter(v => typeof v === 'number');
      return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    })}]}, names.length);
}

function estimateForm(s) {
  const format = el('select', {id: 'estimate-format'}, [['application/json', 'JSON {"model", "responses"}'],
    ['text/csv', 'CSV (one model)'], ['application/x-ndjson', 'lm-eval samples (one task)']].map(([v, t]) =>
    el('option', {value: v, text: t})));
  const model = el('input', {id: 'estimate-model', type: 'text', size: 30, placeholder: 'for samples and CSV'});
  const body = el('textarea', {id: 'estimate-body', 'aria-describedby': 'estimate-help'});
  const file = el('input', {id: 'estimate-file', type: 'file', accept: '.json,.csv,.jsonl,.ndjson'});
  file.addEventListener('change', async () => {
    if (file.files.length) body.value = await file.files[0].text();
  });
  const result = el('div', {id: 'estimate-result', 'aria-live': 'polite'});
  const form = el('form', {id: 'estimate-form', onsubmit: async event => {
      event.preventDefault();
      try {
        const query = model.value.trim() ? '?model=' + encodeURIComponent(model.value.trim()) : '';
        const estimate = await api('/api/v1/subsets/' + s.id + '/estimates' + query, {method: 'POST',
          headers: {'Content-Type': format.value}, body: body.value});
        await showEstimate(result, estimate, s);
      } catch (error) {
        result.replaceChildren(el('p', {class: 'error', text: error.message}));
      }
    }},
    el('h3', {text: 'Estimate a model from its answers'}),
    el('div', {class: 'row'}, el('div', {}, el('label', {for: 'estimate-format', text: 'Format'}), format),
      el('div', {}, el('label', {for: 'estimate-model', text: 'Model name'}), model),
      el('div', {}, el('label', {for: 'estimate-file', text: 'Or upload a file'}), file)),
    el('label', {for: 'estimate-body', text: 'Answers'}), body,
    el('p', {id: 'estimate-help', text: 'Answers to the subset\'s items: 0/1, a score in [0, 1], or null.'}),
    el('button', {type: 'submit', id: 'estimate-submit', text: 'Estimate'}));
  return el('div', {class: 'panel'}, form, result);
}

async function showEstimate(container, estimate, s) {
  const parts = Object.entries(estimate.scenarios || {}).concat([['overall', estimate.overall]]);
  const table = el('table', {id: 'estimate-table'}, el('caption', {text: 'Estimate for ' + estimate.model}),
    el('thead', {}, el('tr', {}, ['Scenario', 'Estimate', 'Lower', 'Upper', 'Estimator'].map(h =>
      el('th', {scope: 'col', text: h})))),
    el('tbody', {}, parts.map(([name, p]) => el('tr', {}, el('td', {text: name}),
      el('td', {class: 'number', text: number(p.estimate)}), el('td', {class: 'number', text: number(p.lower)}),
      el('td', {class: 'number', text: number(p.upper)}),
      el('td', {text: p.estimator + (p.extrapolated ? ' (beyond the training models)' : '')})))));
  const warnings = (estimate.warnings || []).map(w => el('p', {class: 'error', text: w}));
  const place = el('div', {id: 'estimate-chart', class: 'chart', role: 'img',
    'aria-label': 'The estimate with its interval on the distribution of the leaderboard\'s scores'});
  container.replaceChildren(table, ...warnings, place);
  const version = await api('/api/v1/benchmarks/' + encodeURIComponent(s.benchmark) + '/versions/'
    + s.datasetVersion);
  const scores = (version.modelScores || []).map(m => m.meanScore).filter(v => typeof v === 'number');
  const bins = histogram(scores.concat([estimate.overall.estimate]), 20);
  const index = v => Math.max(0, bins.labels.findIndex(l => Number(l) >= v) - 1);
  chart(place, {title: {text: 'Overall estimate on the leaderboard'}, tooltip: {},
    xAxis: {type: 'category', data: bins.labels, name: 'mean score'}, yAxis: {name: 'models'},
    series: [{type: 'bar', data: histogram(scores, 20).counts, name: 'leaderboard',
      markArea: {itemStyle: {color: 'rgba(11,92,173,0.15)'}, data: [[{xAxis: index(estimate.overall.lower)},
        {xAxis: index(estimate.overall.upper)}]]},
      markLine: {data: [{xAxis: index(estimate.overall.estimate), name: 'estimate'}]}}]}, scores.length);
}

// ---- routing ----------------------------------------------------------------------------------------------------

async function route() {
  const forget = document.getElementById('forget');
  const caller = document.getElementById('caller');
  if (!sessionStorage.getItem(KEY)) {
    forget.hidden = true;
    caller.textContent = '';
    return keyForm();
  }
  forget.hidden = false;
  caller.textContent = 'Signed in as ' + (sessionStorage.getItem(ROLE) || '?');
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    say('');
    if (parts[0] === 'benchmarks' && parts[1]) await benchmark(parts[1]);
    else if (parts[0] === 'calibrations' && parts[1]) await calibration(parts[1]);
    else if (parts[0] === 'subsets' && parts[1]) await subset(parts[1]);
    else if (parts[0] === 'jobs' && parts[1]) await job(parts[1]);
    else await benchmarks();
    main.focus();
  } catch (error) {
    if (error.status === 401) {
      sessionStorage.removeItem(KEY);
      return keyForm();
    }
    say(error.message, true);
  }
}

document.getElementById('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ROLE);
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);
route();
