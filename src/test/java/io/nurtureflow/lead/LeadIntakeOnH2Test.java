package io.nurtureflow.lead;

import io.nurtureflow.support.NurtureflowTest;

@NurtureflowTest
class LeadIntakeOnH2Test extends LeadIntakeScenarios {

}
