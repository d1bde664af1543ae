/*
 * Nurtureflow insights: what every page shares. Plain browser JavaScript, no build step.
 *
 * Security: data from the API is stored text (lead details, content names, engagement details)
 * and is only ever put on the page through textContent, element properties and setAttribute on
 * harmless attributes. Nothing here assigns innerHTML, outerHTML or calls document.write.
 */
(function () {
  'use strict';

  var API = '/insights/api/';
  var COCKPIT = '/camunda/app/cockpit/default/';
  var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  var DEFAULT_DAYS = 90;
  /** The longest period the API answers, both days counted (Period.MAX_DAYS): the picker says so before asking. */
  var MAX_DAYS = 731;

  /** Thrown for answers the page should explain in its error banner. */
  function InsightsError(message, options) {
    this.name = 'InsightsError';
    this.message = message;
    this.login = Boolean(options && options.login);
  }
  InsightsError.prototype = Object.create(Error.prototype);

  // ---------------------------------------------------------------- DOM

  /**
   * Creates an element. props: text (textContent), className, id, href, title, attrs (object of
   * attributes), dataset (object). Children are nodes or strings (added as text nodes).
   */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    if (props.text !== undefined && props.text !== null) {
      node.textContent = String(props.text);
    }
    if (props.className) {
      node.className = props.className;
    }
    if (props.id) {
      node.id = props.id;
    }
    if (props.href) {
      node.setAttribute('href', props.href);
    }
    if (props.title) {
      node.title = props.title;
    }
    Object.keys(props.attrs || {}).forEach(function (name) {
      node.setAttribute(name, props.attrs[name]);
    });
    Object.keys(props.dataset || {}).forEach(function (name) {
      node.dataset[name] = props.dataset[name];
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) {
        return;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  // ---------------------------------------------------------------- formatting

  function oneDecimal(value) {
    var text = (Math.round(value * 10) / 10).toFixed(1);
    return text.endsWith('.0') ? text.slice(0, -2) : text;
  }

  function isNumber(value) {
    return typeof value === 'number' && isFinite(value);
  }

  /** 42 -> "42 s", 180 -> "3 min", 9000 -> "2.5 h", 172800 -> "2 d". */
  function formatSeconds(seconds) {
    if (!isNumber(seconds)) {
      return '–';
    }
    if (Math.round(seconds) < 60) {
      return Math.round(seconds) + ' s';
    }
    if (Math.round(seconds / 60) < 60) {
      return Math.round(seconds / 60) + ' min';
    }
    if (seconds < 86400) {
      return oneDecimal(seconds / 3600) + ' h';
    }
    return oneDecimal(seconds / 86400) + ' d';
  }

  /** A share from 0 to 1 as a percentage: 0.667 -> "66.7 %". */
  function formatPercent(share) {
    return isNumber(share) ? oneDecimal(share * 100) + ' %' : '–';
  }

  function formatDays(days) {
    return isNumber(days) ? (Math.round(days * 10) / 10).toFixed(1) : '–';
  }

  /** Raw integers, without grouping, so what a cell shows is what the API said. */
  function formatCount(value) {
    return isNumber(value) ? String(value) : '–';
  }

  /** An ISO instant as "2041-06-03 09:00:42 UTC": reports count UTC days. */
  function formatTime(iso) {
    if (!iso) {
      return '–';
    }
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return String(iso);
    }
    return date.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  }

  function formatText(value) {
    return (value === null || value === undefined || value === '') ? '–' : String(value);
  }

  var FORMATS = {
    text: formatText,
    count: formatCount,
    percent: formatPercent,
    seconds: formatSeconds,
    days: formatDays,
    time: formatTime
  };

  // ---------------------------------------------------------------- period

  function todayUtc() {
    return new Date().toISOString().slice(0, 10);
  }

  function minusDays(isoDate, days) {
    var date = new Date(isoDate + 'T00:00:00Z');
    date.setUTCDate(date.getUTCDate() - days);
    return date.toISOString().slice(0, 10);
  }

  /** Days from one ISO date to another, both counted. */
  function spanDays(from, to) {
    return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86400000) + 1;
  }

  function validDate(value) {
    if (!value || !ISO_DATE.test(value)) {
      return false;
    }
    var date = new Date(value + 'T00:00:00Z');
    return !isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }

  /** The period from the address (?from=&to=), else the last 90 days up to today (UTC), as the API defaults. */
  function period() {
    var params = new URLSearchParams(window.location.search);
    var to = validDate(params.get('to')) ? params.get('to') : todayUtc();
    var from = validDate(params.get('from')) ? params.get('from') : minusDays(to, DEFAULT_DAYS);
    return { from: from, to: to };
  }

  function periodQuery(extra) {
    var current = period();
    var query = new URLSearchParams();
    query.set('from', current.from);
    query.set('to', current.to);
    Object.keys(extra || {}).forEach(function (name) {
      query.set(name, extra[name]);
    });
    return query;
  }

  /** Fills the period form (#period-from, #period-to); submitting it reloads the page with the new period. */
  function initPeriodPicker() {
    var form = byId('period');
    if (!form) {
      return;
    }
    var current = period();
    byId('period-from').value = current.from;
    byId('period-to').value = current.to;
    form.addEventListener('submit', function (event) {
      var from = byId('period-from').value;
      var to = byId('period-to').value;
      if (!validDate(from) || !validDate(to)) {
        event.preventDefault();
        showError('Pick both dates of the period.');
      }
      else if (from > to) {
        event.preventDefault();
        showError('The period must not end before it starts.');
      }
      else if (spanDays(from, to) > MAX_DAYS) {
        event.preventDefault();
        showError('A period spans at most ' + MAX_DAYS + ' days (two years), both dates included.');
      }
    });
  }

  /** Nav links to the other period pages keep the period in view. */
  function carryPeriod() {
    var params = new URLSearchParams(window.location.search);
    if (!params.has('from') && !params.has('to')) {
      return;
    }
    var current = period();
    document.querySelectorAll('a[data-period]').forEach(function (link) {
      var query = new URLSearchParams();
      query.set('from', current.from);
      query.set('to', current.to);
      link.setAttribute('href', link.getAttribute('href').split('?')[0] + '?' + query.toString());
    });
  }

  // ---------------------------------------------------------------- data

  function problemText(problem) {
    if (problem && typeof problem === 'object') {
      return problem.detail || problem.title || null;
    }
    return null;
  }

  /** GET a report from /insights/api/ as JSON, with the session cookie of the Cockpit login. */
  function getJson(path, query) {
    var url = API + path + (query ? '?' + query.toString() : '');
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      cache: 'no-store'
    }).catch(function () {
      throw new InsightsError('The server cannot be reached. Check the connection and reload the page.');
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      var json = /json/i.test(type) ? response.json().catch(function () {
        return null;
      }) : Promise.resolve(null);
      return json.then(function (body) {
        if (response.ok && body !== null) {
          return body;
        }
        if (response.status === 401 || (response.ok && body === null)) {
          throw new InsightsError('Your login has ended. Log in to Cockpit as a manager, then reload this page.',
            { login: true });
        }
        if (response.status === 403) {
          throw new InsightsError(problemText(body) || 'Insights are for managers and administrators.');
        }
        throw new InsightsError((problemText(body) || 'The report could not be loaded')
          + ' (HTTP ' + response.status + ').');
      });
    });
  }

  function csvUrl(path, query) {
    return API + path + '.csv' + (query ? '?' + query.toString() : '');
  }

  // ---------------------------------------------------------------- error banner

  function showError(error) {
    var banner = byId('error-banner');
    if (!banner) {
      return;
    }
    var message = (error && error.message) ? error.message : String(error);
    clear(banner);
    banner.appendChild(el('span', { text: message }));
    if (error && error.login) {
      banner.appendChild(el('a', { href: COCKPIT, text: 'Log in to Cockpit' }));
    }
    banner.hidden = false;
  }

  function hideError() {
    var banner = byId('error-banner');
    if (banner) {
      banner.hidden = true;
      clear(banner);
    }
  }

  // ---------------------------------------------------------------- tables

  /**
   * Renders rows into a table element (which keeps its id) inside host.
   * spec: { id, columns: [{ key, label, format ('text', 'count', 'percent', 'seconds', 'days', 'time'),
   *         numeric, value(row), render(row, td) }], rows, rowKey(row), empty }
   * Numeric cells are right-aligned and carry the raw value in data-value.
   */
  function table(host, spec) {
    var head = el('tr', {}, spec.columns.map(function (column) {
      return el('th', {
        text: column.label,
        className: column.numeric ? 'num' : '',
        attrs: { scope: 'col' },
        dataset: { key: column.key }
      });
    }));
    var body = el('tbody');
    if (!spec.rows.length) {
      body.appendChild(el('tr', {}, [el('td', {
        className: 'empty',
        text: spec.empty || 'Nothing in this period.',
        attrs: { colspan: String(spec.columns.length) }
      })]));
    }
    spec.rows.forEach(function (row) {
      var tr = el('tr');
      if (spec.rowKey) {
        tr.dataset.key = spec.rowKey(row);
      }
      spec.columns.forEach(function (column) {
        var value = column.value ? column.value(row) : row[column.key];
        var td = el('td', { className: column.className || (column.numeric ? 'num' : '') });
        td.dataset.col = column.key;
        if (column.render) {
          column.render(row, td, value);
        }
        else {
          td.textContent = (FORMATS[column.format || 'text'] || formatText)(value);
        }
        if (column.numeric && isNumber(value)) {
          td.dataset.value = String(value);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var tableNode = el('table', { id: spec.id, className: 'data' }, [el('thead', {}, [head]), body]);
    clear(host).appendChild(el('div', { className: 'table-wrap' }, [tableNode]));
    return tableNode;
  }

  /** Points the "Download CSV" link (#<id>) at a CSV endpoint with the page's query. */
  function csvLink(id, path, query) {
    var link = byId(id);
    if (link) {
      link.setAttribute('href', csvUrl(path, query));
      link.setAttribute('download', '');
      link.hidden = false;
    }
  }

  /** A stat card's value (an element with data-card) from a raw value and a formatter. */
  function card(id, value, format) {
    var node = byId(id);
    if (!node) {
      return;
    }
    node.textContent = (FORMATS[format] || formatText)(value);
    node.dataset.value = isNumber(value) ? String(value) : '';
  }

  // ---------------------------------------------------------------- charts

  var PALETTE = ['#1d4ed8', '#0d9488', '#d97706', '#7c3aed', '#db2777', '#64748b', '#16a34a', '#dc2626'];

  /** Draws a Chart.js chart on canvas #id (replacing an earlier one); null when Chart.js is not there. */
  function chart(id, config) {
    var canvas = byId(id);
    if (!canvas) {
      return null;
    }
    if (typeof window.Chart === 'undefined') {
      var note = el('p', { className: 'chart-missing', text: 'The chart library could not be loaded; the table below has the numbers.' });
      canvas.parentNode.replaceChild(note, canvas);
      return null;
    }
    var existing = window.Chart.getChart(canvas);
    if (existing) {
      existing.destroy();
    }
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    window.Chart.defaults.color = '#475569';
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    return new window.Chart(canvas, config);
  }

  // ---------------------------------------------------------------- page life

  /**
   * Runs a page's loader once the DOM is there: fills the period picker, carries the period in the
   * nav, then awaits load(). body[data-insights] becomes "ready" or "error" at the end, so tests and
   * people can tell a finished page from a loading one.
   */
  function page(load) {
    function start() {
      initPeriodPicker();
      carryPeriod();
      var note = byId('period-note');
      if (note) {
        var current = period();
        note.textContent = (note.dataset.what || 'Period') + ' from ' + current.from + ' to ' + current.to
          + ' (UTC days, both included).';
      }
      document.body.dataset.insights = 'loading';
      Promise.resolve().then(load).then(function () {
        document.body.dataset.insights = 'ready';
      }, function (error) {
        if (!(error instanceof InsightsError) && window.console) {
          window.console.error(error);
        }
        showError(error instanceof InsightsError ? error
          : new InsightsError('The page could not show this report: ' + (error && error.message ? error.message : error)));
        document.body.dataset.insights = 'error';
      });
    }
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start);
    }
    else {
      start();
    }
  }

  window.Insights = {
    InsightsError: InsightsError,
    COCKPIT: COCKPIT,
    PALETTE: PALETTE,
    el: el,
    clear: clear,
    byId: byId,
    formatSeconds: formatSeconds,
    formatPercent: formatPercent,
    formatDays: formatDays,
    formatCount: formatCount,
    formatTime: formatTime,
    formatText: formatText,
    period: period,
    periodQuery: periodQuery,
    validDate: validDate,
    getJson: getJson,
    csvUrl: csvUrl,
    csvLink: csvLink,
    showError: showError,
    hideError: hideError,
    table: table,
    card: card,
    chart: chart,
    page: page
  };
}());
