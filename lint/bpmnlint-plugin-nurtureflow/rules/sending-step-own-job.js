/**
 * A sending step (camunda:delegateExpression="${sendEmail}" or "${sendSms}") is drawn
 * "Asynchronous before": it runs as a job of its own, so a provider outage retries only the send
 * and the touch's claim and result commits never run inside the transaction of the click or
 * submission that moved the journey. The server makes such a step a job anyway and logs a
 * warning; this rule says so before the diagram is deployed.
 */
const SENDING = /^\$\{\s*send(Email|Sms)\s*\}$/;

function camundaAttribute(node, name) {
  const attrs = node.$attrs || {};
  const key = Object.keys(attrs).find((k) => k === name || k.endsWith(':' + name));
  return key ? String(attrs[key]).trim() : undefined;
}

module.exports = function () {
  function check(node, reporter) {
    if (node.$type !== 'bpmn:ServiceTask' && node.$type !== 'bpmn:SendTask') {
      return;
    }
    const delegate = camundaAttribute(node, 'delegateExpression');
    if (delegate && SENDING.test(delegate) && camundaAttribute(node, 'asyncBefore') !== 'true') {
      reporter.report(node.id, 'Sending step must be "Asynchronous before" (camunda:asyncBefore="true")');
    }
  }

  return { check };
};
