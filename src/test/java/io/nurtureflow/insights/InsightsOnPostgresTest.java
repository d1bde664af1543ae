package io.nurtureflow.insights;

import io.nurtureflow.support.PostgresTest;

@PostgresTest
class InsightsOnPostgresTest extends InsightScenarios {

}
