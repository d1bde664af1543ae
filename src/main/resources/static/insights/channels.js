/* Channels and content: GET /insights/api/channels?from&to */
(function () {
  'use strict';
  const I = window.Insights;

  const COUNTS = [
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['opened', 'Opened'],
    ['clicked', 'Clicked'],
    ['replied', 'Replied'],
    ['unsubscribed', 'Unsubscribed'],
    ['bounced', 'Bounced']
  ];

  const piece = (row) => row.channel + ' ' + row.content;

  I.page(() => {
    const query = I.periodQuery();
    I.csvLink('channels-csv', 'channels', query);
    return I.getJson('channels', query).then((data) => {
      const rows = Array.isArray(data) ? data : [];
      const series = [['sent', 'Sent', '#1d4ed8'], ['opened', 'Opened', '#0d9488'], ['clicked', 'Clicked', '#d97706']];
      I.chart('channels-chart', {
        type: 'bar',
        data: {
          labels: rows.map(piece),
          datasets: series.map(([key, label, color]) => ({
            label: label,
            data: rows.map((row) => row[key]),
            backgroundColor: color,
            borderRadius: 3
          }))
        },
        options: {
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });

      I.table(I.byId('channels-table-host'), {
        id: 'channels-table',
        rowKey: (row) => row.channel + '/' + row.content,
        rows: rows,
        empty: 'No touches were made in this period.',
        columns: [
          { key: 'channel', label: 'Channel' },
          { key: 'content', label: 'Content' }
        ].concat(COUNTS.map(([key, label]) => ({ key: key, label: label, numeric: true, format: 'count' })))
      });
    });
  });
}());
