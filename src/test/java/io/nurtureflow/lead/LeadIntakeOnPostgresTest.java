package io.nurtureflow.lead;

import io.nurtureflow.support.PostgresTest;

@PostgresTest
class LeadIntakeOnPostgresTest extends LeadIntakeScenarios {

}
