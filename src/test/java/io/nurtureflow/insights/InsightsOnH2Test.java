package io.nurtureflow.insights;

import io.nurtureflow.support.NurtureflowTest;

@NurtureflowTest
class InsightsOnH2Test extends InsightScenarios {

}
