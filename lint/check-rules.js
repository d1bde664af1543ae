// Nurtureflow's own lint rule must catch what it is there for: the shipped journey passes it, and
// the same journey with every sending step's "Asynchronous before" unticked fails it, step by step.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { BpmnModdle } = require('bpmn-moddle');
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const RULE = 'nurtureflow/sending-step-own-job';

async function reported(xml) {
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const linter = new Linter({
    config: { extends: 'plugin:nurtureflow/recommended' },
    resolver: new NodeResolver()
  });
  const reports = await linter.lint(rootElement);
  return (reports[RULE] || []).map((report) => report.id).sort();
}

(async () => {
  const diagram = fs.readFileSync(path.join(__dirname, '..', 'bpmn', 'lead-nurture.bpmn'), 'utf8');
  const sendingSteps = [ ...diagram.matchAll(/id="(Task_Send[A-Za-z]*)"[^>]*delegateExpression="\$\{send/g) ]
    .map((match) => match[1])
    .sort();
  assert.ok(sendingSteps.length > 0, 'lead-nurture.bpmn has sending steps');

  assert.deepStrictEqual(await reported(diagram), [], 'the shipped lead-nurture.bpmn passes ' + RULE);

  const unticked = diagram.replace(
    /camunda:asyncBefore="true" ((camunda:jobPriority="\d+" )?camunda:delegateExpression="\$\{send)/g, '$1');
  assert.notStrictEqual(unticked, diagram, 'the sending steps were unticked');
  assert.deepStrictEqual(await reported(unticked), sendingSteps, RULE + ' reports every unticked sending step');

  console.log(RULE + ': ok (' + sendingSteps.length + ' unticked sending steps reported)');
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
