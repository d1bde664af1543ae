/* Speed to lead: GET /insights/api/speed-to-lead?from&to */
(function () {
  'use strict';
  const I = window.Insights;

  const hourLabel = (hour) => String(hour).padStart(2, '0') + ':00';

  function durations(prefix, stats, captured) {
    const d = stats || {};
    const count = typeof d.count === 'number' ? d.count : 0;
    I.card(prefix + '-median', d.medianSeconds, 'seconds');
    I.card(prefix + '-p90', d.p90Seconds, 'seconds');
    // a share of no leads at all says nothing
    I.card(prefix + '-within5', count > 0 ? d.within5Minutes : null, 'percent');
    I.card(prefix + '-count', count, 'count');
    const of = I.byId(prefix + '-of');
    if (of) {
      of.textContent = 'of ' + captured + ' captured';
    }
  }

  I.page(() => {
    const query = I.periodQuery();
    I.csvLink('speed-hours-csv', 'speed-to-lead', query);
    return I.getJson('speed-to-lead', query).then((speed) => {
      const hours = Array.isArray(speed.byHour) ? speed.byHour : [];
      const captured = hours.reduce((sum, h) => sum + (h.leads || 0), 0);
      durations('first-touch', speed.firstTouch, captured);
      durations('rep-contact', speed.firstRepContact, captured);

      I.table(I.byId('sla-table-host'), {
        id: 'sla-table',
        rowKey: (row) => row.group,
        rows: Array.isArray(speed.slaMisses) ? speed.slaMisses : [],
        empty: 'No call SLA was missed in this period.',
        columns: [
          { key: 'group', label: 'Group' },
          { key: 'misses', label: 'SLA misses', numeric: true, format: 'count' }
        ]
      });

      I.chart('speed-chart', {
        type: 'bar',
        data: {
          labels: hours.map((h) => hourLabel(h.hour)),
          datasets: [{
            type: 'bar',
            label: 'Leads captured',
            data: hours.map((h) => h.leads),
            backgroundColor: '#1d4ed8',
            borderRadius: 3,
            yAxisID: 'y',
            order: 2
          }, {
            type: 'line',
            label: 'Median first touch',
            data: hours.map((h) => (typeof h.medianFirstTouchSeconds === 'number' ? h.medianFirstTouchSeconds : null)),
            borderColor: '#d97706',
            backgroundColor: '#d97706',
            pointRadius: 4,
            spanGaps: true,
            yAxisID: 'y1',
            order: 1
          }]
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          plugins: {
            tooltip: {
              callbacks: {
                label: (item) => item.dataset.yAxisID === 'y1'
                  ? 'Median first touch: ' + I.formatSeconds(item.raw)
                  : 'Leads captured: ' + item.raw
              }
            }
          },
          scales: {
            y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Leads' } },
            y1: {
              beginAtZero: true,
              position: 'right',
              grid: { drawOnChartArea: false },
              ticks: { callback: (value) => I.formatSeconds(value) },
              title: { display: true, text: 'Median first touch' }
            }
          }
        }
      });

      I.table(I.byId('speed-hours-table-host'), {
        id: 'speed-hours-table',
        rowKey: (h) => String(h.hour),
        rows: hours.filter((h) => h.leads > 0),
        empty: 'No leads were captured in this period.',
        columns: [
          { key: 'hour', label: 'Hour (UTC)', value: (h) => hourLabel(h.hour) },
          { key: 'leads', label: 'Leads', numeric: true, format: 'count' },
          { key: 'medianFirstTouchSeconds', label: 'Median first touch', numeric: true, format: 'seconds' }
        ]
      });
    });
  });
}());
