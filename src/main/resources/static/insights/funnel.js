/* Funnel: GET /insights/api/funnel?from&to */
(function () {
  'use strict';
  const I = window.Insights;

  const LABELS = {
    new: 'New',
    contacted: 'Contacted',
    engaged: 'Engaged',
    mql: 'MQL',
    sql: 'SQL',
    customer: 'Customer',
    churned: 'Churned',
    unsubscribed: 'Unsubscribed',
    disqualified: 'Disqualified'
  };

  /** Stages that leave the funnel: their share is of all leads, not of the stage before. */
  const EXITS = ['churned', 'unsubscribed', 'disqualified'];

  const label = (stage) => LABELS[stage] || stage;

  I.page(() => {
    const query = I.periodQuery();
    I.csvLink('funnel-csv', 'funnel', query);
    return I.getJson('funnel', query).then((funnel) => {
      const stages = Array.isArray(funnel.stages) ? funnel.stages : [];
      const leads = (name) => {
        const stage = stages.find((s) => s.stage === name);
        return stage ? stage.leads : 0;
      };
      const total = leads('new');
      I.card('funnel-total', total, 'count');
      I.card('funnel-engaged', leads('engaged'), 'count');
      I.card('funnel-customers', leads('customer'), 'count');
      I.card('funnel-win-rate', total ? leads('customer') / total : null, 'percent');

      I.chart('funnel-chart', {
        type: 'bar',
        data: {
          labels: stages.map((s) => label(s.stage)),
          datasets: [{
            label: 'Leads',
            data: stages.map((s) => s.leads),
            backgroundColor: stages.map((s) => (EXITS.includes(s.stage) ? '#94a3b8' : '#1d4ed8')),
            borderRadius: 4
          }]
        },
        options: {
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });

      I.table(I.byId('funnel-table-host'), {
        id: 'funnel-table',
        rowKey: (s) => s.stage,
        rows: stages,
        empty: 'No leads were captured in this period.',
        columns: [
          { key: 'stage', label: 'Stage', value: (s) => label(s.stage) },
          { key: 'leads', label: 'Leads', numeric: true, format: 'count' },
          {
            key: 'fromPrevious',
            label: 'From previous stage',
            numeric: true,
            render: (s, td, value) => {
              td.textContent = (value === null || value === undefined) ? '–'
                : I.formatPercent(value) + (EXITS.includes(s.stage) ? ' of all leads' : '');
            }
          }
        ]
      });
    });
  });
}());
