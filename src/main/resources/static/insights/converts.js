/* Who converts: GET /insights/api/who-converts?by&from&to */
(function () {
  'use strict';
  const I = window.Insights;

  const DIMENSIONS = {
    industry: 'Industry',
    companySize: 'Company size',
    source: 'Source',
    campaign: 'Campaign',
    grade: 'Fit grade'
  };

  function dimension() {
    const by = new URLSearchParams(window.location.search).get('by');
    return Object.prototype.hasOwnProperty.call(DIMENSIONS, by) ? by : 'industry';
  }

  I.page(() => {
    const by = dimension();
    const select = I.byId('converts-by');
    select.value = by;
    select.addEventListener('change', () => {
      const form = I.byId('period');
      if (form.requestSubmit) {
        form.requestSubmit();
      }
      else {
        form.submit();
      }
    });

    const query = I.periodQuery({ by: by });
    I.csvLink('converts-csv', 'who-converts', query);
    return I.getJson('who-converts', query).then((rows) => {
      const groups = Array.isArray(rows) ? rows : [];
      const box = I.byId('converts-chart-box');
      if (box) {
        box.style.height = Math.max(220, 44 * groups.length + 70) + 'px';
      }
      I.chart('converts-chart', {
        type: 'bar',
        data: {
          labels: groups.map((g) => g.group),
          datasets: [{
            label: 'Conversion rate',
            data: groups.map((g) => Math.round(g.rate * 1000) / 10),
            backgroundColor: '#0d9488',
            borderRadius: 4
          }]
        },
        options: {
          indexAxis: 'y',
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => {
                  const g = groups[item.dataIndex];
                  return I.formatPercent(g.rate) + ' (' + g.converted + ' of ' + g.leads + ')';
                }
              }
            }
          },
          scales: {
            x: { beginAtZero: true, max: 100, ticks: { callback: (value) => value + ' %' } }
          }
        }
      });

      I.table(I.byId('converts-table-host'), {
        id: 'converts-table',
        rowKey: (g) => g.group,
        rows: groups,
        empty: 'No leads were captured in this period.',
        columns: [
          { key: 'group', label: DIMENSIONS[by] },
          { key: 'leads', label: 'Leads', numeric: true, format: 'count' },
          { key: 'converted', label: 'Converted', numeric: true, format: 'count' },
          { key: 'rate', label: 'Rate', numeric: true, format: 'percent' },
          { key: 'medianDaysToConvert', label: 'Median days to convert', numeric: true, format: 'days' }
        ]
      });
    });
  });
}());
