/* Lead timeline: GET /insights/api/leads/{id}/timeline */
(function () {
  'use strict';
  const I = window.Insights;

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  /** Links come from stored data: only same-site paths into the Camunda webapps become anchors. */
  function cockpitLink(link) {
    return typeof link === 'string' && link.startsWith('/camunda/') ? link : null;
  }

  I.page(() => {
    const raw = new URLSearchParams(window.location.search).get('id');
    const input = I.byId('lead-id');
    if (raw === null || raw.trim() === '') {
      input.focus();
      return null;
    }
    const id = raw.trim();
    input.value = id;
    if (!UUID.test(id)) {
      throw new I.InsightsError('“' + id + '” is not a lead id. A lead id looks like 3f2c7e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6.');
    }
    const path = 'leads/' + encodeURIComponent(id.toLowerCase()) + '/timeline';
    return I.getJson(path, null).then((timeline) => {
      const entries = (Array.isArray(timeline.entries) ? timeline.entries : [])
        .map((entry, index) => ({ entry: entry, index: index }))
        .sort((a, b) => (Date.parse(a.entry.at) - Date.parse(b.entry.at)) || (a.index - b.index))
        .map((item) => item.entry);

      I.byId('lead-summary-id').textContent = I.formatText(timeline.leadId);
      I.byId('lead-email').textContent = I.formatText(timeline.email);
      I.byId('lead-stage').textContent = I.formatText(timeline.stage);
      I.byId('lead-entries').textContent = String(entries.length);
      I.csvLink('timeline-csv', path, null);

      I.table(I.byId('timeline-table-host'), {
        id: 'timeline-table',
        rowKey: (entry) => entry.kind,
        rows: entries,
        empty: 'Nothing has happened to this lead yet.',
        columns: [
          {
            key: 'at',
            label: 'Time',
            className: 'time',
            render: (entry, td) => {
              const time = I.el('time', { text: I.formatTime(entry.at) });
              if (entry.at) {
                time.setAttribute('datetime', String(entry.at));
              }
              td.appendChild(time);
            }
          },
          {
            key: 'kind',
            label: 'Kind',
            render: (entry, td) => {
              const kind = I.formatText(entry.kind);
              td.appendChild(I.el('span', { className: 'kind kind-' + kind.replace(/[^a-z]/g, ''), text: kind }));
            }
          },
          { key: 'what', label: 'What' },
          { key: 'detail', label: 'Detail', className: 'detail' },
          { key: 'why', label: 'Why' },
          {
            key: 'link',
            label: 'Journey',
            render: (entry, td) => {
              const href = cockpitLink(entry.link);
              if (href) {
                td.appendChild(I.el('a', {
                  href: href,
                  text: 'open in Cockpit',
                  className: 'cockpit-link',
                  attrs: { target: '_blank', rel: 'noopener noreferrer' }
                }));
              }
            }
          }
        ]
      });
      I.byId('lead-panel').hidden = false;
      I.byId('lead-hint').hidden = true;
    });
  });
}());
