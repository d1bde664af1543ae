package io.nurtureflow.journey;

import io.nurtureflow.support.NurtureflowTest;

@NurtureflowTest
class EngineRestBadInputOnH2Test extends EngineRestBadInputScenarios {

}
