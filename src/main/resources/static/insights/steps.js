/* Journey steps: GET /insights/api/journey-steps (now, across all journeys; no period) */
(function () {
  'use strict';
  const I = window.Insights;

  const stepLabel = (row) => (row.name || row.step) + ' · ' + row.journey;

  I.page(() => {
    I.csvLink('steps-csv', 'journey-steps', null);
    return I.getJson('journey-steps', null).then((data) => {
      const rows = Array.isArray(data) ? data : [];
      const waiting = rows.filter((row) => row.waitingNow > 0);
      const box = I.byId('steps-chart-box');
      if (box) {
        box.style.height = Math.max(220, 34 * waiting.length + 70) + 'px';
      }
      I.chart('steps-chart', {
        type: 'bar',
        data: {
          labels: waiting.map(stepLabel),
          datasets: [{ label: 'Waiting now', data: waiting.map((row) => row.waitingNow), backgroundColor: '#7c3aed', borderRadius: 3 }]
        },
        options: {
          indexAxis: 'y',
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });

      I.table(I.byId('steps-table-host'), {
        id: 'steps-table',
        rowKey: (row) => row.journey + '/' + row.step,
        rows: rows,
        empty: 'No journey is waiting anywhere, and none has ended.',
        columns: [
          { key: 'journey', label: 'Journey' },
          { key: 'step', label: 'Step' },
          { key: 'name', label: 'Name' },
          { key: 'waitingNow', label: 'Waiting now', numeric: true, format: 'count' },
          { key: 'leftHere', label: 'Left here', numeric: true, format: 'count' }
        ]
      });
    });
  });
}());
