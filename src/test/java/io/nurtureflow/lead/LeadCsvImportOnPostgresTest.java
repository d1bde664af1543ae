package io.nurtureflow.lead;

import io.nurtureflow.support.PostgresTest;

@PostgresTest
class LeadCsvImportOnPostgresTest extends LeadCsvImportScenarios {

}
